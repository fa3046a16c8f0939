/**
 * The SHA-256 of a file whose blocks arrive out of order (parallel ranges):
 * each block is hashed as soon as every block before it has been, and a block
 * that arrives early is kept (not copied) until its turn. The caller bounds
 * how many that can be — here the block pool does.
 */
import { createHash } from 'node:crypto';

export class OrderedHash {
  private readonly hash = createHash('sha256');
  private readonly early = new Map<number, Buffer>();
  private next = 0;

  /** `hashed(index)` is called for each block once its bytes are in the hash and may be reused. */
  constructor(private readonly hashed: (index: number) => void) {}

  /** The index of the block the hash needs next. */
  get nextIndex(): number {
    return this.next;
  }

  add(index: number, bytes: Buffer): void {
    if (index < this.next || this.early.has(index)) throw new Error(`Block ${index} was hashed already`);
    this.early.set(index, bytes);
    for (let ready = this.early.get(this.next); ready; ready = this.early.get(this.next)) {
      this.hash.update(ready);
      this.early.delete(this.next);
      this.hashed(this.next);
      this.next++;
    }
  }

  /** The hex digest, once all `count` blocks are in. */
  digest(count: number): string {
    if (this.next !== count) throw new Error(`Only ${this.next} of ${count} blocks reached the hash`);
    return this.hash.digest('hex');
  }
}

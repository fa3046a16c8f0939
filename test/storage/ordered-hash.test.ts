/**
 * The SHA-256 of blocks that arrive out of order equals that of the file,
 * each block handed back as soon as the hash has it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrderedHash } from '../../src/storage/ordered-hash';

const blocks = ['first block, ', 'second block, ', 'third ', 'and last'].map((text) => Buffer.from(text));
const whole = createHash('sha256').update(Buffer.concat(blocks)).digest('hex');

describe('OrderedHash', () => {
  it('hashes blocks in file order whatever order they arrive in, and says when each is done with', () => {
    const released: number[] = [];
    const hash = new OrderedHash((index) => released.push(index));
    hash.add(2, blocks[2] ?? Buffer.alloc(0));
    hash.add(1, blocks[1] ?? Buffer.alloc(0));
    expect(released).toEqual([]);
    expect(hash.nextIndex).toBe(0);
    hash.add(0, blocks[0] ?? Buffer.alloc(0));
    expect(released).toEqual([0, 1, 2]);
    expect(hash.nextIndex).toBe(3);
    hash.add(3, blocks[3] ?? Buffer.alloc(0));
    expect(hash.digest(4)).toBe(whole);
  });

  it('refuses a block twice, and a digest before every block is in', () => {
    const hash = new OrderedHash(() => undefined);
    hash.add(0, Buffer.from('a'));
    expect(() => { hash.add(0, Buffer.from('a')); }).toThrow('Block 0 was hashed already');
    hash.add(2, Buffer.from('c'));
    expect(() => { hash.add(2, Buffer.from('c')); }).toThrow('Block 2 was hashed already');
    expect(() => hash.digest(3)).toThrow('Only 1 of 3 blocks reached the hash');
  });
});

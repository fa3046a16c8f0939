/**
 * Running ffmpeg: the binary from @ffmpeg-installer (so a clean machine needs
 * nothing else), a start-up check that it runs, and process tracking so
 * close() leaves no renders behind.
 */
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { type ChildProcess, spawn } from 'node:child_process';

export interface FfmpegResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Ffmpeg {
  private readonly running = new Set<ChildProcess>();

  constructor(readonly path: string = ffmpegInstaller.path) {}

  /** Resolves with the exit code and stderr; rejects only when the binary cannot start. */
  run(args: readonly string[]): Promise<FfmpegResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.path, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.running.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => {
        this.running.delete(child);
        reject(error);
      });
      child.on('close', (code) => {
        this.running.delete(child);
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
    });
  }

  /** Runs and fails with ffmpeg's own words when the exit code is not 0. */
  async runOrThrow(args: readonly string[]): Promise<void> {
    const result = await this.run(args);
    if (result.code !== 0) throw new Error(`ffmpeg failed (exit ${String(result.code)}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }

  /** The version line, or why ffmpeg cannot run here. */
  async check(): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
    try {
      const result = await this.run(['-version']);
      const version = result.stdout.split('\n')[0] ?? '';
      if (result.code !== 0 || !version.startsWith('ffmpeg version')) return { ok: false, reason: result.stderr.trim() || `exit ${String(result.code)}` };
      return { ok: true, version };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  killAll(): void {
    for (const child of this.running) child.kill('SIGKILL');
    this.running.clear();
  }
}

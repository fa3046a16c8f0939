/**
 * The `sora-orchestrator` binary, built, run as a child process against the
 * whole local stack (Azurite, the Sora emulator, the local host with time
 * skipping), as a script would run it: what it prints, what it leaves on
 * disk, and its exit codes.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoView } from '../../src/requests/video-view';
import { mediaFixtures, type MediaFixtures } from '../integration/media-fixtures';
import { startPipeline, type Pipeline } from '../integration/support';
import { runBin } from './run-bin';

let p: Pipeline;
let media: MediaFixtures;
let work: string;
/** The succeeded request of the first test, read again by later ones. */
let boatId: string;

beforeAll(async () => {
  [p, media, work] = await Promise.all([startPipeline(), mediaFixtures(), mkdtemp(path.join(tmpdir(), 'sora-cli-'))]);
});
afterAll(async () => {
  await Promise.all([p.close(), media.close(), rm(work, { recursive: true, force: true })]);
});

const cli = (...args: string[]) => runBin([...args, '--url', p.baseUrl]);
const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('generate --wait --out', () => {
  it('leaves the MP4 in DIR, byte for byte what the API stored, and exits 0', async () => {
    const out = path.join(work, 'boat');
    const result = await cli('generate', 'A paper boat', '--wait', '--out', out);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);

    const files = await readdir(out);
    expect(files).toHaveLength(1);
    const [file = ''] = files;
    boatId = file.replace(/-0\.mp4$/, '');
    expect(file).toBe(`${boatId}-0.mp4`);
    const view = await p.api.get(boatId);
    expect(view).toMatchObject({ status: 'succeeded', prompt: 'A paper boat', size: '480x480', n_seconds: 5 });
    expect(await sha256(path.join(out, file))).toBe(view.videos[0]?.sha256);
    expect((await readFile(path.join(out, file))).subarray(4, 8).toString('latin1')).toBe('ftyp');
    // Plain lines when stderr is not a terminal: the stages it saw, ending succeeded.
    expect(result.stderr).toMatch(new RegExp(`${boatId}: succeeded \\(\\d+ s\\)`));
    expect(result.stdout).toContain(`${boatId}  succeeded  480x480, 5 s, 1 variant(s), jobs API`);
    expect(result.stdout).toContain(`variant 0 → ${path.join(out, file)}`);
  });
});

describe('bad input', () => {
  it("a size the API refuses exits 3 and prints the server's message naming the field", async () => {
    const result = await cli('generate', 'A paper boat', '--size', '500x500');
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('The request is not valid (HTTP 400)');
    expect(result.stderr).toContain('  width: 500x500 is not a supported size; use one of 480x480, 480x854');
  });

  it('with --json the problem details go to stdout as they came', async () => {
    const result = await cli('generate', 'A paper boat', '--size', '1080x1080', '--variants', '2', '--json');
    expect(result.code).toBe(3);
    const problem = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 400, title: 'The request is not valid', invalidFields: ['n_variants'], errors: [{ field: 'n_variants', message: 'must be at most 1 for 1080x1080' }] });
  });

  it('a command line it cannot read exits 2 with the usage, before calling the API', async () => {
    const noPrompt = await cli('generate', '--wait');
    expect(noPrompt.code).toBe(2);
    expect(noPrompt.stderr).toContain('missing the prompt');
    expect(noPrompt.stderr).toContain('Usage: sora-orchestrator generate "PROMPT"');

    const badNumber = await cli('generate', 'A boat', '--seconds', 'five');
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain("--seconds must be a whole number, got 'five'");

    const unknownOption = await cli('status', 'x', '--colour', 'red');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--colour'");

    const unknownCommand = await runBin(['render']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("Unknown command 'render'");
  });

  it('an unknown id exits 3 with the API\'s words; an app that is not there exits 4', async () => {
    const unknown = await cli('status', 'no-such-request');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("No such video request (HTTP 404)\n  There is no video request with id 'no-such-request'.");

    const nowhere = await runBin(['status', 'x', '--url', 'http://127.0.0.1:9']);
    expect(nowhere.code).toBe(4);
    expect(nowhere.stderr).toContain('Cannot reach the API');
  });
});

describe('status, list, download', () => {
  it('status prints the view; --json prints the API\'s view itself; the URL may come from the environment', async () => {
    const text = await runBin(['status', boatId], { SORA_ORCHESTRATOR_URL: p.baseUrl });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${boatId}  succeeded`);
    expect(text.stdout).toContain('  prompt: A paper boat');

    const json = await cli('status', boatId, '--json');
    expect(json.code).toBe(0);
    const view = JSON.parse(json.stdout) as VideoView;
    expect(view).toMatchObject({ id: boatId, status: 'succeeded', n_variants: 1, links: { self: `/api/videos/${boatId}` } });
    expect(view.videos).toHaveLength(1);
  });

  it('list prints one line per request and filters by status; --json prints the page', async () => {
    const text = await cli('list', '--status', 'succeeded');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${boatId}  succeeded\\s+\\S+Z  A paper boat$`, 'm'));

    const json = await cli('list', '--limit', '1', '--json');
    const page = JSON.parse(json.stdout) as { items: { id: string }[]; nextCursor: string | null };
    expect(page.items).toHaveLength(1);
    expect(Object.keys(page)).toEqual(['items', 'nextCursor']);

    const badStatus = await cli('list', '--status', 'done');
    expect(badStatus.code).toBe(3);
    expect(badStatus.stderr).toContain('  status: must be one of pending, waiting');
  });

  it('download saves every variant again; --json lists the files with their checksums', async () => {
    const out = path.join(work, 'again');
    const result = await cli('download', boatId, '--out', out, '--json');
    expect(result.code).toBe(0);
    const { id, files } = JSON.parse(result.stdout) as { id: string; files: { variant: number; file: string; sha256: string }[] };
    expect(id).toBe(boatId);
    expect(files.map((f) => [f.variant, f.file])).toEqual([[0, path.join(out, `${boatId}-0.mp4`)]]);
    expect(await sha256(path.join(out, `${boatId}-0.mp4`))).toBe(files[0]?.sha256);

    const noOut = await cli('download', boatId);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('download needs --out DIR');
  });
});

describe('generate without --wait, then cancel', () => {
  it('prints the new id; cancel stops it (exit 0), a second cancel is refused (exit 3), and it has nothing to download (exit 5)', async () => {
    // The gate: while time skipping is paused the request's first status check stays ahead, so it is still running when cancelled.
    p.stack.pauseTimeSkipping();
    let id: string;
    try {
      const started = await cli('generate', 'A boat to cancel', '--json');
      expect(started.code).toBe(0);
      const body = JSON.parse(started.stdout) as { id: string; status: string; links: { self: string } };
      expect(body).toMatchObject({ status: 'pending', links: { self: `/api/videos/${body.id}` } });
      id = body.id;

      const cancelled = await cli('cancel', id);
      expect(cancelled.code).toBe(0);
      expect(cancelled.stdout).toContain(`Cancel requested for ${id}`);
    } finally {
      p.stack.resumeTimeSkipping();
    }
    expect((await p.waitUntilFinished(id)).status).toBe('cancelled');

    const again = await cli('cancel', id);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(`The request has already finished (HTTP 409)\n  Video request '${id}' is cancelled; there is nothing to cancel.`);

    const download = await cli('download', id, '--out', path.join(work, 'none'));
    expect(download.code).toBe(5);
    expect(download.stderr).toContain(`Request ${id} ended cancelled`);
  });
});

describe('generate with files', () => {
  it('--image: uploads the image as an inpaint item and the request uses it', async () => {
    const image = path.join(work, 'still.png');
    await writeFile(image, await media.image(480, 480, 'png'));
    const result = await cli('generate', 'The still comes to life', '--image', image, '--wait', '--json');
    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout) as VideoView;
    expect(view.status).toBe('succeeded');
    expect(view.inputs).toEqual([{ type: 'image', fileName: 'still.png', frameIndex: 0, bytes: (await readFile(image)).length }]);
  });

  it('--video goes as an inpaint item too; with --api videos an image is the reference image, and a video is refused before sending', async () => {
    const clip = path.join(work, 'clip.mp4');
    await writeFile(clip, await media.video(2));
    const extended = await cli('generate', 'Extend this clip', '--video', clip, '--wait', '--json');
    expect(extended.code).toBe(0);
    expect((JSON.parse(extended.stdout) as VideoView).inputs).toEqual([{ type: 'video', fileName: 'clip.mp4', frameIndex: 0, bytes: (await readFile(clip)).length }]);

    const reference = path.join(work, 'tall.png');
    await writeFile(reference, await media.image(720, 1280, 'png'));
    const sora2 = await cli('generate', 'A lighthouse at dusk', '--api', 'videos', '--image', reference, '--wait', '--json');
    expect(sora2.code).toBe(0);
    expect(JSON.parse(sora2.stdout) as VideoView).toMatchObject({ status: 'succeeded', api: 'videos', size: '720x1280', inputs: [{ type: 'image', fileName: 'tall.png' }] });

    const refused = await cli('generate', 'A lighthouse', '--api', 'videos', '--video', clip);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--video is for the jobs API; the videos API takes a reference image (--image)');
  });
});

describe('batch FILE.jsonl', () => {
  const jsonl = async (name: string, lines: string[]) => {
    const file = path.join(work, name);
    await writeFile(file, `${lines.join('\n')}\n`);
    return file;
  };

  it('--wait starts a batch from the lines, follows it to its end with a line per change, and exits 0 when every item succeeded', async () => {
    const file = await jsonl('two.jsonl', [JSON.stringify({ prompt: 'A kite', n_seconds: 1 }), JSON.stringify({ prompt: 'Two kites', n_seconds: 1 })]);
    const result = await cli('batch', file, '--id', 'cli-kites', '--wait');
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('cli-kites  completed  2 item(s): 2 succeeded\n');
    expect(result.stderr).toContain('Batch cli-kites: following it until it ends…');
    expect(result.stderr).toMatch(/cli-kites: completed, 2 item\(s\): 2 succeeded\n$/);
    // Each line ran as the request <batch id>-<line - 1>.
    expect(await p.api.get('cli-kites-1')).toMatchObject({ status: 'succeeded', prompt: 'Two kites', n_seconds: 1 });

    // The same file and id again: the same batch, already ended, no second run.
    const again = await cli('batch', file, '--id', 'cli-kites', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: 'cli-kites', status: 'completed', total: 2, counts: { succeeded: 2 } });
  });

  it('--wait exits 5 when the batch ended with items that did not succeed', async () => {
    // The emulator's block list fails a prompt with "forbidden" in it.
    const file = await jsonl('mixed.jsonl', [JSON.stringify({ prompt: 'A kite', n_seconds: 1 }), JSON.stringify({ prompt: 'A forbidden kite', n_seconds: 1 })]);
    const result = await cli('batch', file, '--id', 'cli-mixed', '--wait');
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('cli-mixed  completed  2 item(s): 1 succeeded, 1 failed\n');
    expect(result.stderr).toContain('Batch cli-mixed ended completed: 1 of 2 item(s) succeeded.');
  });

  it('without --wait prints the new batch; --json prints what the API answered', async () => {
    const file = await jsonl('one.jsonl', [JSON.stringify({ prompt: 'A lone kite', n_seconds: 1 })]);
    const result = await cli('batch', file, '--json');
    expect(result.code).toBe(0);
    const started = JSON.parse(result.stdout) as { id: string; links: { self: string } };
    expect(started).toEqual({ id: started.id, status: 'pending', total: 1, links: { self: `/api/batches/${started.id}`, cancel: `/api/batches/${started.id}/cancel` } });
  });

  it("a line the API refuses exits 3 naming it as items[i]; a line that is not JSON exits 2 before calling the API", async () => {
    const refused = await cli('batch', await jsonl('bad-size.jsonl', [JSON.stringify({ prompt: 'fine', n_seconds: 1 }), JSON.stringify({ prompt: 'x', width: 500, height: 500 })]));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('The request is not valid (HTTP 400)');
    expect(refused.stderr).toContain('  items[1].width: 500x500 is not a supported size');

    const broken = await jsonl('broken.jsonl', [JSON.stringify({ prompt: 'fine' }), '{"prompt": ']);
    const notJson = await cli('batch', broken);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain(`${broken} line 2 is not JSON`);
    expect((await cli('batch')).stderr).toContain('missing the JSON Lines file');
  });
});

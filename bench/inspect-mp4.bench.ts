/**
 * The media inspector learns a large MP4's duration while its bytes flow on,
 * holding none of them. Inspecting an MP4 whose index comes last, after the
 * media data, beside a baseline from the same run: the same stream read and
 * thrown away with no inspector in the way.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inspectMedia } from '../src/media';
import { box, ftyp, largeBoxHeader, mvhd } from '../test/media/fixtures';
import { measureInTurns, type RepeatedRow } from './measure';

const MiB = 1024 * 1024;
const DURATION_SECONDS = 5;
const TIMESCALE = 90_000;

/**
 * The file, with its media data in fresh 1 MiB buffers so anything that kept
 * them would keep them all; three quarters in, the checkpoint notes what is held.
 */
function* mp4File(mediaBytes: number, checkpoint: () => void): Generator<Uint8Array> {
  yield ftyp();
  yield largeBoxHeader('mdat', mediaBytes);
  for (let sent = 0; sent < mediaBytes; sent += MiB) {
    if (sent === (mediaBytes * 3) / 4) checkpoint();
    yield Buffer.alloc(Math.min(MiB, mediaBytes - sent), 0x5a);
  }
  yield box('moov', mvhd(0, TIMESCALE, BigInt(DURATION_SECONDS * TIMESCALE)));
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => { done(); } });

export async function benchInspectMp4(sizeMiB = 1024): Promise<RepeatedRow[]> {
  const mediaBytes = sizeMiB * MiB;
  return measureInTurns(mediaBytes, [
    {
      name: `baseline: read a ${sizeMiB} MiB MP4 stream and discard it`,
      work: (checkpoint) => pipeline(Readable.from(mp4File(mediaBytes, checkpoint)), discard()),
    },
    {
      name: `inspect a ${sizeMiB} MiB MP4 (index last) on its way through`,
      work: async (checkpoint) => {
        const inspector = inspectMedia();
        await pipeline(Readable.from(mp4File(mediaBytes, checkpoint)), inspector.stream, discard());
        const { durationSeconds } = inspector.facts();
        if (durationSeconds !== DURATION_SECONDS) throw new Error(`the inspector read a duration of ${String(durationSeconds)} s, not ${DURATION_SECONDS} s`);
      },
    },
  ]);
}

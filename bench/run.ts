/**
 * `npm run bench` — every benchmark, each beside its baseline measured in the
 * same run. Speed and memory live here, never as timed assertions in tests.
 */
import { benchAdmission, printAdmissionTable } from './admission.bench';
import { benchHost } from './host.bench';
import { benchInspectMp4 } from './inspect-mp4.bench';
import { printRepeatedTable } from './measure';
import { benchStore } from './store.bench';
import { benchUpload } from './upload.bench';

async function main(): Promise<void> {
  const sizeMiB = Number(process.env.BENCH_STORE_MIB ?? 256);
  const host = await benchHost();
  printRepeatedTable('Local host: 3 activities + 1 timer, time skipping (baselines: no timer; handlers called directly)', host.throughput);
  printRepeatedTable('Local host: replay as an instance\'s history grows (one episode per activity)', host.replay);
  const store = await benchStore(sizeMiB);
  printRepeatedTable(`Store activity copy: ${sizeMiB} MiB from the Sora emulator (its own process) into Azurite (baseline: Azurite ingesting the same bytes from memory)`, store.rows);
  for (const line of store.summary) console.log(line);
  printRepeatedTable('Streamed upload through SoraHttp to a local server (baseline: the same bytes posted by node:http)', await benchUpload());
  printRepeatedTable('MP4 duration from a stream, index last (baseline: the same stream read and discarded)', await benchInspectMp4());
  printAdmissionTable(await benchAdmission());
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

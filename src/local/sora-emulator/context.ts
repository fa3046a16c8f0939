/** Everything a request handler may use, built once per emulator. */
import type { Clock } from '../clock';
import type { SoraFaults } from './faults';
import type { Ffmpeg } from './ffmpeg';
import type { JobStore } from './jobs';
import type { ResolvedOptions } from './options';
import type { Renderer } from './renderer';
import type { RetiredDeployments } from './retired';

export interface EmulatorContext {
  options: ResolvedOptions;
  clock: Clock;
  store: JobStore;
  faults: SoraFaults;
  /** Deployments whose every call answers 410. */
  retired: RetiredDeployments;
  ffmpeg: Ffmpeg;
  renderer: Renderer;
  /** Where uploaded media is kept (by content hash) for renders. */
  inputsDir: string;
  /** Where request bodies are streamed before they are checked. */
  uploadsDir: string;
  log: (line: string) => void;
}

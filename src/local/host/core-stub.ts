import Module from 'node:module';
import type { FunctionCallback, FunctionMetadata, ProgrammingModel, Registration, RpcLogLevel } from './core-types';

/**
 * The stand-in for `@azure/functions-core`, the module the Functions Node
 * worker injects. @azure/functions looks it up once and caches the answer
 * (null included), so the hook must be installed before the app or
 * @azure/functions is first required; `installCoreStub` does that and is
 * idempotent. The stub is process-wide; registrations go to whichever capture
 * is open (one app load at a time).
 */
const CORE_MODULE = '@azure/functions-core';

type SystemLog = (level: RpcLogLevel, category: string, message: string) => void;

interface CoreState {
  programmingModel: ProgrammingModel | undefined;
  capture: Registration[] | undefined;
  hooks: string[];
  log: SystemLog;
}

const state: CoreState = {
  programmingModel: undefined,
  capture: undefined,
  hooks: [],
  log: () => undefined,
};

/** A Disposable like the worker's: `dispose()` runs the callback once. */
class Disposable {
  #callback: (() => void) | undefined;
  constructor(callback: () => void) {
    this.#callback = callback;
  }
  dispose(): void {
    this.#callback?.();
    this.#callback = undefined;
  }
}

const coreApi = {
  version: 'local-host',
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (state.capture === undefined) {
      throw new Error(`Function '${metadata.name}' was registered outside an app load of the local host.`);
    }
    const registration = { metadata, callback };
    const capture = state.capture;
    capture.push(registration);
    return new Disposable(() => capture.splice(capture.indexOf(registration), 1));
  },
  setProgrammingModel(model: ProgrammingModel): void {
    state.programmingModel = model;
  },
  getProgrammingModel(): ProgrammingModel | undefined {
    return state.programmingModel;
  },
  registerHook(hookName: string, _callback: unknown): Disposable {
    // Hooks are accepted so apps load, but the local host does not run them.
    state.hooks.push(hookName);
    return new Disposable(() => undefined);
  },
  log(level: RpcLogLevel, category: string, message: string): void {
    state.log(level, category, message);
  },
  Disposable,
};

let installed = false;

/** Hooks Node's loader so `require('@azure/functions-core')` returns the stub. */
export function installCoreStub(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = loader._load;
  loader._load = function (request: string, ...rest: unknown[]): unknown {
    if (request === CORE_MODULE) return coreApi;
    return originalLoad.call(this, request, ...rest);
  };
}

/** Sends the library's system logs (and the stub's) to the host's log. */
export function setCoreLog(log: SystemLog): void {
  state.log = log;
}

/** Runs `load` and returns every function registered meanwhile. */
export function captureRegistrations(load: () => void): Registration[] {
  const captured: Registration[] = [];
  state.capture = captured;
  try {
    load();
  } finally {
    state.capture = undefined;
  }
  return captured;
}

/** The model @azure/functions handed over at its first registration. */
export function programmingModel(): ProgrammingModel {
  if (state.programmingModel === undefined) {
    throw new Error('@azure/functions never set its programming model: did the app register any function?');
  }
  return state.programmingModel;
}

/** Names of hooks the app registered (reported, not run). */
export function registeredHooks(): readonly string[] {
  return state.hooks;
}

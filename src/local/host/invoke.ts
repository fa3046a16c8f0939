import { randomUUID } from 'node:crypto';
import type {
  ProgrammingModel,
  Registration,
  RpcInvocationResponse,
  RpcLogLevel,
  RpcParameterBinding,
  RpcTypedData,
} from './core-types';

/** One invocation as the worker runs it, with what the library produced. */
export interface Invocation {
  /** The InvocationContext the library built (the orchestrator SDK hangs `df` on it). */
  context: unknown;
  /** What the handler returned. */
  result: unknown;
  response: RpcInvocationResponse;
}

export interface InvokeOptions {
  triggerMetadata?: Record<string, RpcTypedData>;
  /** Chosen by the caller when it must be known beforehand (the HTTP stream proxy keys on it). */
  invocationId?: string;
}

export type InvocationOutcome = ({ ok: true } & Invocation) | { ok: false; context: unknown; error: unknown };

/** Binding types the host fills in itself; other input bindings get nothing. */
export type InputProvider = (bindingType: string, bindingName: string) => RpcTypedData | undefined;

/**
 * Invokes functions through @azure/functions' own invocation model, as the
 * Node worker does: getInvocationModel → getArguments → invokeFunction →
 * getResponse, so argument and result conversions are the library's.
 */
export class Invoker {
  readonly #model: () => ProgrammingModel;
  readonly #log: (line: string) => void;
  readonly #provideInput: InputProvider;
  readonly #warned = new Set<string>();

  constructor(model: () => ProgrammingModel, log: (line: string) => void, provideInput: InputProvider) {
    this.#model = model;
    this.#log = log;
    this.#provideInput = provideInput;
  }

  async invoke(
    registration: Registration,
    triggerData: RpcTypedData,
    options: InvokeOptions = {},
  ): Promise<InvocationOutcome> {
    const { metadata, callback } = registration;
    const inputData: RpcParameterBinding[] = [];
    for (const [bindingName, binding] of Object.entries(metadata.bindings)) {
      if (binding.direction !== 'in') continue;
      const type = binding.type ?? '';
      if (type.toLowerCase().endsWith('trigger')) {
        inputData.push({ name: bindingName, data: triggerData });
        continue;
      }
      const provided = this.#provideInput(type, bindingName);
      if (provided === undefined) {
        this.#warnOnce(`${metadata.name}/${bindingName}`, `input binding '${bindingName}' (${type}) is not implemented by the local host: it receives nothing`);
      } else {
        inputData.push({ name: bindingName, data: provided });
      }
    }
    const invocationModel = this.#model().getInvocationModel({
      invocationId: options.invocationId ?? randomUUID(),
      request: { inputData, triggerMetadata: options.triggerMetadata ?? {} },
      metadata,
      state: 'invocation',
      log: (level: RpcLogLevel, category: string, message: string) => {
        this.#log(category === 'user' ? `[${metadata.name}] ${message}` : `[${metadata.name}] (${level}) ${message}`);
      },
    });
    const { context, inputs } = await invocationModel.getArguments();
    let result: unknown;
    try {
      result = await invocationModel.invokeFunction(context, inputs, callback);
    } catch (error) {
      return { ok: false, context, error };
    }
    const response = await invocationModel.getResponse(context, result);
    this.#dropUnservedOutputs(registration, response);
    return { ok: true, context, result, response };
  }

  /** Output bindings the host does not implement: logged once, their values dropped. */
  #dropUnservedOutputs(registration: Registration, response: RpcInvocationResponse): void {
    const { metadata } = registration;
    for (const output of response.outputData ?? []) {
      const type = metadata.bindings[output.name]?.type ?? 'unknown';
      if (type.toLowerCase() === 'http' || output.data === undefined || output.data === null) continue;
      this.#warnOnce(
        `${metadata.name}/${output.name}`,
        `output binding '${output.name}' (${type}) is not implemented by the local host: its values are dropped`,
      );
    }
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#log(`Warning: ${key.split('/')[0] ?? key}: ${message}`);
  }
}

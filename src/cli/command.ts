/**
 * What a command is: its name, usage, options (node:util parseArgs) and what
 * it does. Commands are listed in commands/index.ts; a new one is a file there.
 */
import type { ParseArgsConfig } from 'node:util';
import type { CommandContext } from './context';
import { CliError, EXIT } from './exit-codes';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs found: option values by name, and the positional arguments after the command. */
export interface CommandArgs {
  values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  positionals: readonly string[];
}

export interface Command {
  name: string;
  /** The arguments after the name, e.g. `ID --out DIR`. */
  usage: string;
  summary: string;
  options: OptionsConfig;
  run(ctx: CommandContext, args: CommandArgs): Promise<void>;
}

export function stringOption(args: CommandArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: CommandArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A whole-number option; anything else is a usage error naming it. The API checks the range. */
export function intOption(args: CommandArgs, name: string): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new CliError(`--${name} must be a whole number, got '${value}'`, EXIT.usage);
  return Number(value);
}

/** The one positional a command takes (an id); missing or extra ones are usage errors. */
export function onePositional(args: CommandArgs, what: string): string {
  const [value, ...extra] = args.positionals;
  if (value === undefined) throw new CliError(`missing ${what}`, EXIT.usage);
  if (extra.length > 0) throw new CliError(`unexpected argument '${extra.join(' ')}'`, EXIT.usage);
  return value;
}

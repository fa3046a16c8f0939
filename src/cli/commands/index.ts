/** Every command, in the order help lists them. A new command is a file in this folder and a line here. */
import type { Command } from '../command';
import { batch } from './batch';
import { cancel } from './cancel';
import { download } from './download';
import { generate } from './generate';
import { list } from './list';
import { status } from './status';

export const COMMANDS: readonly Command[] = [generate, status, list, cancel, download, batch];

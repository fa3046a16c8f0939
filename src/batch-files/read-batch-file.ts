/**
 * A dropped JSON Lines file as batch items: one request per line, numbered by
 * its line (blank lines are skipped but keep the numbering, so an item's
 * number is where a person finds it in the file). A line that is not JSON
 * becomes a rejected item; a file that cannot be read as lines at all (too
 * large, not UTF-8, no requests, too many) is a problem of the whole file.
 */
import { MAX_BATCH_ITEMS } from '../contracts/batch';
import type { RuleViolation } from '../contracts/validation';
import type { BatchItemDraft } from '../requests/settle-batch-items';

/** Room for a full batch of long prompts; a bigger file is reported, not read. */
export const MAX_BATCH_FILE_BYTES = 2 * 1024 * 1024;

export type BatchFileRead = { ok: true; drafts: BatchItemDraft[] } | { ok: false; problems: RuleViolation[] };

const FILE = '(file)';

export function readBatchFile(content: Buffer): BatchFileRead {
  if (content.length > MAX_BATCH_FILE_BYTES) {
    return fileProblem(`is ${content.length} bytes; a batch file may have at most ${MAX_BATCH_FILE_BYTES} (${MAX_BATCH_FILE_BYTES / 1024 / 1024} MiB)`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return fileProblem('is not UTF-8 text: a batch file holds one JSON request per line');
  }
  const drafts: BatchItemDraft[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '') continue;
    drafts.push(draftOf(index + 1, line));
  }
  if (drafts.length === 0) return fileProblem('holds no request: a batch file holds one JSON request per line');
  if (drafts.length > MAX_BATCH_ITEMS) return fileProblem(`holds ${drafts.length} requests; a batch takes at most ${MAX_BATCH_ITEMS}`);
  return { ok: true, drafts };
}

function draftOf(item: number, line: string): BatchItemDraft {
  try {
    return { item, body: JSON.parse(line) as unknown };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    return { item, unreadable: [{ field: '(body)', message: `is not JSON (${reason})` }] };
  }
}

function fileProblem(message: string): BatchFileRead {
  return { ok: false, problems: [{ field: FILE, message }] };
}

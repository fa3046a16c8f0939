/**
 * One logical entity — a few small columns and any number of texts of any
 * length — as Azure Table rows within the service's limits: a string
 * property holds at most 64 KiB (32 768 UTF-16 code units) and an entity at
 * most 1 MiB. Texts are cut into chunks (`Input`, `Input_1`, `Input_2` …);
 * the main row carries the columns, the count of rows (`Rows`) and as many
 * chunks as fit; the rest go to overflow rows whose keys name the write's version, so
 * a main row never points at rows half rewritten.
 */
import type { TableEntity } from '@azure/data-tables';

/** Code units per chunk: 64 000 bytes in UTF-16, under the 64 KiB property limit. */
export const CHUNK_CHARS = 32_000;
/** Chunks per row: 15 × 64 000 bytes leaves room under 1 MiB for the columns and property names. */
export const CHUNKS_PER_ROW = 15;

export type Column = string | number | boolean | Date;
export type Row = TableEntity;

export interface LogicalEntity {
  partitionKey: string;
  rowKey: string;
  columns: Record<string, Column | undefined>;
  texts: Record<string, string | undefined>;
}

/** Overflow rows of version `version` sort right after their main row: `{rowKey}~{version}~{n}`. */
export function overflowRowKey(rowKey: string, version: number, n: number): string {
  return `${rowKey}~${version}~${n}`;
}

/** Cuts a text into chunks of at most `size` code units, never between the two halves of a surrogate pair. */
export function splitText(text: string, size = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  do {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    chunks.push(text.slice(start, end));
    start = end;
  } while (start < text.length);
  return chunks;
}

/** The rows of an entity, main row first; `version` names its overflow rows (only used when there are any). */
export function toRows(entity: LogicalEntity, version: number): Row[] {
  const chunks: [string, string][] = [];
  for (const [name, text] of Object.entries(entity.texts)) {
    if (text === undefined) continue;
    splitText(text).forEach((chunk, index) => chunks.push([index === 0 ? name : `${name}_${index}`, chunk]));
  }
  const rowCount = Math.max(1, Math.ceil(chunks.length / CHUNKS_PER_ROW));
  const rows: Row[] = [];
  for (let n = 0; n < rowCount; n++) {
    const rowKey = n === 0 ? entity.rowKey : overflowRowKey(entity.rowKey, version, n);
    const row: Row = { partitionKey: entity.partitionKey, rowKey };
    if (n === 0) {
      for (const [name, value] of Object.entries(entity.columns)) if (value !== undefined) row[name] = value;
      row.Rows = rowCount;
      row.RowsVersion = version;
    }
    for (const [name, chunk] of chunks.slice(n * CHUNKS_PER_ROW, (n + 1) * CHUNKS_PER_ROW)) row[name] = chunk;
    rows.push(row);
  }
  return rows;
}

/** The overflow row keys a main row points at. */
export function overflowKeysOf(main: Row): string[] {
  const rows = typeof main.Rows === 'number' ? main.Rows : 1;
  const version = typeof main.RowsVersion === 'number' ? main.RowsVersion : 0;
  return Array.from({ length: rows - 1 }, (_, index) => overflowRowKey(main.rowKey, version, index + 1));
}

/**
 * Reads an entity back from its main row and the rows of the same partition
 * (by row key); undefined when an overflow row is missing.
 */
export function readEntity(main: Row, rowsByKey: ReadonlyMap<string, Row>): EntityReader | undefined {
  const parts: Row[] = [main];
  for (const key of overflowKeysOf(main)) {
    const row = rowsByKey.get(key);
    if (row === undefined) return undefined;
    parts.push(row);
  }
  const properties: Record<string, unknown> = Object.assign({}, ...parts) as Record<string, unknown>;
  return new EntityReader(properties);
}

export class EntityReader {
  readonly #properties: Record<string, unknown>;

  constructor(properties: Record<string, unknown>) {
    this.#properties = properties;
  }

  string(name: string): string | undefined {
    const value = this.#properties[name];
    return typeof value === 'string' ? value : undefined;
  }

  number(name: string): number | undefined {
    const value = this.#properties[name];
    return typeof value === 'number' ? value : undefined;
  }

  date(name: string): Date | undefined {
    const value = this.#properties[name];
    return value instanceof Date ? value : undefined;
  }

  /** A text joined from its chunks; undefined when it was not stored. */
  text(name: string): string | undefined {
    const first = this.string(name);
    if (first === undefined) return undefined;
    let text = first;
    for (let index = 1; ; index++) {
      const chunk = this.string(`${name}_${index}`);
      if (chunk === undefined) return text;
      text += chunk;
    }
  }
}

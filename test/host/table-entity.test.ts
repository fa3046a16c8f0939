// Entities as Azure Table rows within the service's limits: texts cut into
// chunks of at most 32 000 UTF-16 code units (never inside a surrogate pair),
// at most 15 chunks a row, overflow rows named by version.
import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, CHUNKS_PER_ROW, overflowKeysOf, readEntity, splitText, toRows, type Row } from '../../src/local/host/persistence/table-entity';

const LIMIT_BYTES_PER_PROPERTY = 64 * 1024;
const LIMIT_BYTES_PER_ENTITY = 1024 * 1024;

function byKey(rows: Row[]): Map<string, Row> {
  return new Map(rows.map((row) => [row.rowKey, row]));
}

/** A row's size as the service counts strings: two bytes per UTF-16 code unit, plus the property names. */
function rowBytes(row: Row): number {
  return Object.entries(row).reduce((sum, [name, value]) => sum + name.length * 2 + (typeof value === 'string' ? value.length * 2 : 8), 0);
}

describe('table entities', () => {
  it('cuts text into chunks under the property limit, keeping surrogate pairs whole', () => {
    // 'a' then emoji: every emoji (2 code units) straddles an even boundary somewhere.
    const text = `a${'😀'.repeat(40_000)}`;
    const chunks = splitText(text);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_CHARS);
      expect(chunk.length * 2).toBeLessThan(LIMIT_BYTES_PER_PROPERTY);
      expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(chunk)).toBe(false);
    }
    expect(splitText('')).toEqual(['']);
  });

  it('keeps a small entity in one row with its columns', () => {
    const rows = toRows({ partitionKey: 'p', rowKey: '', columns: { Name: 'n', Count: 3, Skipped: undefined }, texts: { Input: '{"a":1}', Output: undefined } }, 1);
    expect(rows).toEqual([{ partitionKey: 'p', rowKey: '', Name: 'n', Count: 3, Rows: 1, RowsVersion: 1, Input: '{"a":1}' }]);
    const reader = readEntity(rows[0] as Row, byKey(rows));
    expect(reader?.text('Input')).toBe('{"a":1}');
    expect(reader?.text('Output')).toBeUndefined();
    expect(reader?.number('Count')).toBe(3);
  });

  it('spreads a large entity over overflow rows named by version, each under 1 MiB, and reads it back whole', () => {
    const input = 'i'.repeat(CHUNK_CHARS * CHUNKS_PER_ROW * 2 + 5);
    const output = 'o'.repeat(100);
    const rows = toRows({ partitionKey: 'p', rowKey: 'k', columns: { Name: 'n' }, texts: { Input: input, Output: output } }, 7);
    expect(rows.map((row) => row.rowKey)).toEqual(['k', 'k~7~1', 'k~7~2']);
    const main = rows[0] as Row;
    expect(main.Rows).toBe(3);
    expect(overflowKeysOf(main)).toEqual(['k~7~1', 'k~7~2']);
    for (const row of rows) expect(rowBytes(row)).toBeLessThan(LIMIT_BYTES_PER_ENTITY);
    const reader = readEntity(main, byKey(rows));
    expect(reader?.text('Input')).toBe(input);
    expect(reader?.text('Output')).toBe(output);
  });

  it('reads nothing when an overflow row is missing', () => {
    const rows = toRows({ partitionKey: 'p', rowKey: 'k', columns: {}, texts: { Input: 'x'.repeat(CHUNK_CHARS * CHUNKS_PER_ROW + 1) } }, 1);
    expect(rows).toHaveLength(2);
    expect(readEntity(rows[0] as Row, byKey(rows.slice(0, 1)))).toBeUndefined();
  });
});

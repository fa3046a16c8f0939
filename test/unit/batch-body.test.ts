/** The body of POST /api/batches, before its items are checked one by one. */
import { describe, expect, it } from 'vitest';
import { itemViolation, MAX_BATCH_ITEMS, parseCreateBatchBody } from '../../src/contracts/batch';

describe('parseCreateBatchBody', () => {
  it('takes items, an optional id and an optional callback', () => {
    expect(parseCreateBatchBody({ id: 'nightly_7', items: [{ prompt: 'x' }], callback: { url: 'https://example.com/hook' } })).toEqual({
      ok: true,
      value: { id: 'nightly_7', items: [{ prompt: 'x' }], callback: { url: 'https://example.com/hook' } },
    });
  });

  it.each([
    ['not an object', [], ['(body)']],
    ['no items', {}, ['items']],
    ['empty items', { items: [] }, ['items']],
    ['too many items', { items: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => ({})) }, ['items']],
    ['an unknown field, named on its own', { items: [{}], colour: 'red', size: 1 }, ['colour', 'size']],
    ['an id that breaks the id rule', { items: [{}], id: 'a/b' }, ['id']],
    ['an id too long for its items', { items: [{}], id: 'x'.repeat(57) }, ['id']],
    ['a callback without a URL', { items: [{}], callback: {} }, ['callback.url']],
    ['a callback with more than a URL', { items: [{}], callback: { url: 'https://example.com/hook', secret: 's' } }, ['callback']],
  ])('refuses %s', (_, body, fields) => {
    const parsed = parseCreateBatchBody(body);
    expect(parsed.ok ? [] : parsed.violations.map((v) => v.field)).toEqual(fields);
  });

  it('names an item\'s violations by its index', () => {
    expect(itemViolation(3, { field: 'width', message: 'm' })).toEqual({ field: 'items[3].width', message: 'm' });
    expect(itemViolation(0, { field: '(body)', message: 'must be a JSON object' })).toEqual({ field: 'items[0]', message: 'must be a JSON object' });
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordCartAdd, recordCartRemove, recordCartRestore } from '@/lib/shop/actions/cart';

// The cart mirrors refuse a malformed call before doing anything: with a sentence, not zod's wording
// ("Invalid input: expected int, received number").
const lines = [{ sku: 'GL-SER-NIA-15', quantity: 2 }];
const messageId = randomUUID();

describe('the cart mirrors’ answers to input they cannot take', () => {
  it('say what is wrong with the quantity added or removed', async () => {
    const whole = 'Quantities must be whole numbers from 1 to 99.';
    expect(await recordCartAdd({ lines, added: { sku: 'GL-SER-NIA-15', quantity: 1.5 }, messageId })).toMatchObject({
      ok: false,
      error: whole,
      fieldErrors: { added: [whole] },
    });
    expect(
      await recordCartRemove({ lines, removed: { sku: 'GL-SER-NIA-15', quantity: '1' }, messageId }),
    ).toMatchObject({ ok: false, error: whole });
    expect(await recordCartAdd({ lines, added: { sku: 'GL-SER-NIA-15', quantity: 0 }, messageId })).toMatchObject({
      error: 'Quantities must be at least 1. Remove the item instead.',
    });
    for (const added of [null, { sku: null, quantity: 1 }, { sku: '', quantity: 1 }])
      expect(await recordCartAdd({ lines, added, messageId })).toMatchObject({
        error: 'The item changed could not be read. Refresh the page and try again.',
      });
  });

  it('say what is wrong with the age of the event they mirror', async () => {
    const added = { sku: 'GL-SER-NIA-15', quantity: 1 };
    expect(await recordCartAdd({ lines, added, messageId, ageMs: -5 })).toMatchObject({
      ok: false,
      error: 'The tracking event age cannot be negative.',
    });
    expect(await recordCartAdd({ lines, added, messageId, ageMs: '5' })).toMatchObject({
      error: 'The tracking event age must be a number of milliseconds.',
    });
  });

  it('say a restore link that is no token could not be read', async () => {
    for (const token of [null, 42, ''])
      expect(await recordCartRestore({ token, messageId })).toMatchObject({
        ok: false,
        error: 'This cart link could not be read. Open it again from your email.',
      });
  });
});

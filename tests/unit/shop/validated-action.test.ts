import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validatedAction } from '@/lib/shop/server/action';

// Every server action parses its input through validatedAction: what a shopper (or a script posting to the action)
// gets back must be a sentence a form can show, never zod's wording.

const action = validatedAction(z.object({ email: z.string().min(1, 'Enter your email address.') }), async () => ({
  ok: true as const,
}));

describe('validatedAction', () => {
  it('answers input that is not an object at all with one plain sentence', async () => {
    for (const input of [null, 'text', 42, [], undefined]) {
      expect(await action(input)).toEqual({
        ok: false,
        error: 'This form could not be read. Reload the page and try again.',
        fieldErrors: { form: ['This form could not be read. Reload the page and try again.'] },
      });
    }
  });

  it('says so once for a schema made of two (`a.and(b)`, as placeOrder’s), whose halves both refuse it', async () => {
    const both = validatedAction(z.object({ a: z.string() }).and(z.object({ b: z.string() })), async () => ({
      ok: true as const,
    }));
    for (const input of [[1], null, 'text']) {
      expect(await both(input)).toEqual({
        ok: false,
        error: 'This form could not be read. Reload the page and try again.',
        fieldErrors: { form: ['This form could not be read. Reload the page and try again.'] },
      });
    }
  });

  it('keeps each field’s own message, and the values typed', async () => {
    expect(await action({ email: '' })).toEqual({
      ok: false,
      error: 'Enter your email address.',
      fieldErrors: { email: ['Enter your email address.'] },
      values: { email: '' },
    });
    expect(await action({ email: 'a@b.c' })).toEqual({ ok: true });
  });
});

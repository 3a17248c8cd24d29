import { describe, expect, it, vi } from 'vitest';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { actionHarness, nextHeaders, requestScope, runAfter } from './action-harness';

// The shop's server actions called as a hostile page would call them. A storage suite (SQLite and PostgreSQL):
// whatever comes in, the answer is the action's own — never the "went wrong on our side" of an action that threw
// (its 500), never an error logged.
vi.mock('next/headers', () => nextHeaders());
vi.mock('next/server', async (original) => ({
  ...(await original<typeof import('next/server')>()),
  // After the response: run at once (the outbox's sends go to the stand-in pipeline).
  after: runAfter,
}));
vi.mock('@/lib/db', async (original) => ({
  ...(await original<typeof import('@/lib/db')>()),
  getDb: async () => requestScope.db!,
}));
const checkout = await import('@/lib/shop/actions/checkout');

actionHarness();

const lines = [
  { sku: 'GL-SER-NIA-15', quantity: 2 },
  { sku: 'GL-BUN-GLOW', quantity: 1 },
];

describe('the quote given an email that is no address', () => {
  it('checks the code as for a guest who typed none: a NUL, which PostgreSQL cannot compare, is no failure', async () => {
    for (const email of ['a\u0000@example.test', '\u0000', 'not an address', 'a\ud800@example.test'])
      expect(await checkout.quoteCheckout({ lines, country: 'US', discountCode: 'welcome10', email })).toMatchObject({
        ok: true,
        quote: { discountCode: 'WELCOME10', totalCents: quoteOrder(lines, 'US', 'WELCOME10').totalCents },
      });
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  actionHarness,
  nextHeaders,
  nextServerRunningAfter,
  requestScope,
  testDb,
  testDbModule,
} from './action-harness';
import { checkout, type Line } from './checkout-input';

// A guest's checkout, as Next calls the action: the identify that makes the guest known and the order's Order
// Completed both go through the shop's outbox. A storage suite (SQLite and PostgreSQL).
vi.mock('next/headers', () => nextHeaders());
vi.mock('next/server', (original) => nextServerRunningAfter(original));
vi.mock('@/lib/db', (original) => testDbModule(original));
const { placeOrder } = await import('@/lib/shop/actions/checkout');
// After the mocks: ids.ts reads the app secret, whose folder comes from the mocked database module.
const { orderCompletedMessageId } = await import('@/lib/shop/server/ids');

actionHarness();

const lines: Line[] = [{ sku: 'GL-SER-NIA-30', quantity: 2 }];

describe('a guest checkout’s identify and Order Completed', () => {
  it('are sent identify first (the person, with their email, before their order), and sent at once', async () => {
    const input = checkout(`guest-${randomUUID()}@example.test`, lines);
    const result = await placeOrder({ ...input, account: 'guest' });
    if (!result.ok) throw new Error(result.error);
    expect(result.identity).not.toBeNull();
    await Promise.allSettled(requestScope.background.splice(0));

    const rows = await testDb()
      .selectFrom('shop_event_outbox')
      .select(['id', 'message_id', 'payload', 'status'])
      .orderBy('id')
      .execute();
    const calls = rows.map((r) => ({ ...(JSON.parse(r.payload) as { type: string; event?: string }), ...r }));
    // The outbox sends a person's calls in row order, on every pass and retry.
    expect(calls.map((c) => c.event ?? c.type)).toEqual(['identify', 'Order Completed']);
    expect(calls[1]!.message_id).toBe(orderCompletedMessageId(result.orderId));
    expect(calls.map((c) => c.status)).toEqual(['sent', 'sent']);
  });
});

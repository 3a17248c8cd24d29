import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { actionHarness, requestScope, testDb } from './action-harness';

// "Send me my routine" as Next calls the action: the email capture, then Quiz Routine Requested for the customer the
// address belongs to, built from the catalogue whatever the browser sent besides the result's id.
// The harness's stand-ins, reached through import() when they are used: outside the storage suites
// (vitest.config.mts) the harness's own import of the database module would otherwise run into this mock of it.
vi.mock('next/headers', async () => (await import('./action-harness')).nextHeaders());
vi.mock('next/server', async (original) => (await import('./action-harness')).nextServerRunningAfter(original));
vi.mock('@/lib/db', async (original) => ({
  ...(await original<typeof import('@/lib/db')>()),
  getDb: async () => (await import('./action-harness')).testDb(),
}));
const { requestRoutine } = await import('@/lib/shop/actions/email-capture');
const { FAILED_ON_OUR_SIDE } = await import('./action-harness');
const { recommendationsFor } = await import('@/lib/shop/domain/quiz');

actionHarness();

type Call = { type: string; event?: string; userId?: string | null; anonymousId?: string | null };
type Sent = Call & { properties?: Record<string, unknown>; traits?: Record<string, unknown> };

async function recorded(): Promise<Sent[]> {
  await Promise.allSettled(requestScope.background.splice(0));
  const rows = await testDb().selectFrom('shop_event_outbox').select(['payload']).orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.payload) as Sent);
}

const ask = (email: string, result: unknown, extra: Record<string, unknown> = {}) =>
  requestRoutine({ email, result, messageId: randomUUID(), cart: [], ...extra });

describe('requestRoutine', () => {
  it('records the request for the customer, with the routine from the catalogue, after the capture', async () => {
    const email = `routine-${randomUUID()}@example.test`;
    const answer = await ask(email, 'oily');
    if (!answer.ok) throw new Error(answer.error);
    expect(answer.routine).toBe('Oily skin');
    const customerId = answer.identity!.customerId;

    const calls = await recorded();
    expect(calls.map((c) => c.event ?? c.type)).toEqual([
      'identify',
      'Email Captured',
      'identify',
      'Quiz Routine Requested',
    ]);
    const [, , address, request] = calls;
    // Whoever this browser is, nothing of its history joins the customer through these two.
    expect(address).toMatchObject({ userId: customerId, anonymousId: null, traits: { email } });
    expect(request).toMatchObject({ userId: customerId, anonymousId: null });
    const items = request!.properties!.items as { sku: string; price: number }[];
    expect(items.map((i) => [i.sku, Math.round(i.price * 100)])).toEqual(
      recommendationsFor('oily').map((r) => [r.variant.sku, r.variant.priceCents]),
    );
    expect(request!.properties).toMatchObject({ result: 'oily', result_name: 'Oily skin' });
  });

  it('refuses a result that is not one of the quiz’s, and takes nothing else from the browser', async () => {
    const email = `forged-${randomUUID()}@example.test`;
    for (const result of ['Oily <b>skin</b>', 'rich', undefined]) {
      const answer = await ask(email, result);
      expect(answer).toMatchObject({ ok: false, error: 'That quiz result is not one we know. Take the quiz again.' });
    }
    expect(await recorded()).toEqual([]);

    const priced = await ask(email, 'dry', { result_name: 'Free', items: [{ sku: 'X', price: 0 }] });
    expect(priced.ok).toBe(true);
    const request = (await recorded()).find((c) => c.event === 'Quiz Routine Requested')!;
    expect(request.properties).toMatchObject({ result: 'dry', result_name: 'Dry skin' });
    expect((request.properties!.items as { price: number }[]).every((i) => i.price > 0)).toBe(true);
  });

  it('sends the routine to an existing customer’s address typed by another browser, without identifying it', async () => {
    const email = `known-${randomUUID()}@example.test`;
    const first = await ask(email, 'oily');
    if (!first.ok) throw new Error(first.error);
    await recorded();
    await testDb().deleteFrom('shop_event_outbox').execute();
    requestScope.jar.set('ajs_anonymous_id', randomUUID());

    const second = await ask(email, 'sensitive');
    if (!second.ok) throw new Error(second.error);
    expect(second.identity).toBeNull();
    const calls = await recorded();
    expect(calls.map((c) => [c.event ?? c.type, c.userId ?? null])).toEqual([
      ['Email Captured', null],
      ['identify', first.identity!.customerId],
      ['Quiz Routine Requested', first.identity!.customerId],
    ]);
    expect(calls.slice(1).map((c) => c.anonymousId)).toEqual([null, null]);
  });

  it('answers hostile input with a sentence, never a failure on our side (actions-hostile.test.ts, in short)', async () => {
    const valid = { email: 'hostile@example.test', result: 'dry', messageId: randomUUID(), cart: [] };
    const hostile: unknown[] = [null, 'oily', [], { ...valid, result: 7 }, { ...valid, result: { toString: 1 } }];
    for (const value of ['x'.repeat(100_000), 'a\u0000b', '\ud800', -1, 1.5, true, null, undefined])
      for (const field of ['email', 'result', 'messageId', 'cart']) hostile.push({ ...valid, [field]: value });
    for (const input of hostile) {
      const answer = await requestRoutine(input);
      if (answer.ok) continue;
      expect(answer.error).not.toBe(FAILED_ON_OUR_SIDE);
      expect(answer.error.length).toBeGreaterThan(10);
    }
  });
});

import type { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetProcessState } from '@/lib/common/process-state';
import { verifyUnsubscribeToken } from '@/lib/common/unsubscribe-token';
import { builtInJourneys, type JourneyRun, type MessageIntent } from '@/lib/cdp/engine/journeys';
import { composeMessage, composeMessages } from '@/lib/cdp/runtime/compose-message';
import { composeElsewhere } from '@/lib/cdp/runtime/message-composer';
import { resetEnvCache } from '@/lib/env';
import { asProductionServer, composeThread, resetComposeThread } from '../support/compose-thread';
import {
  addToCart,
  at,
  cartAttribute,
  identify,
  productViewed,
  simulate,
  profile,
  SHOP,
  T0,
} from '../support/engine-fixtures';

// A production build's composing thread (message-composer.ts), stood in for by ../support/compose-thread.ts.
vi.mock('node:worker_threads', async (original) =>
  (await import('../support/compose-thread')).workerThreadsStandIn(await original()),
);
afterAll(() => {
  vi.doUnmock('node:worker_threads');
});
await import('@/lib/cdp/runtime/compose-worker');

const saved = process.env.APP_SECRET;
beforeAll(() => {
  process.env.APP_SECRET = 'compose-test-secret-0123456789';
  resetEnvCache();
});
afterAll(() => {
  if (saved === undefined) delete process.env.APP_SECRET;
  else process.env.APP_SECRET = saved;
  resetEnvCache();
});

const lines: Parameters<typeof cartAttribute>[0] = [
  ['GL-SERUM-30', 2],
  ['GL-CREAM-50', 1],
];

/** A live event-strategy cart recovery for Ada, due at T0 + 1 h, with the given `cart` attribute. */
function cartIntent(cart: unknown): MessageIntent {
  const events = [
    identify(at('-1d'), { email: 'ada@example.com', first_name: 'Ada' }),
    addToCart(T0, lines),
    identify(T0, { cart }),
  ];
  const { messages } = simulate(builtInJourneys, () => profile(events), [T0, at('1h')], 'event');
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

describe('composeMessage', () => {
  it('renders from the data alone, with the shop URL snippet and a signed unsubscribe link for the person', () => {
    const cart = cartAttribute(lines);
    const email = composeMessage(cartIntent(cart), { appUrl: SHOP });
    expect(email).toMatchObject({
      to: 'ada@example.com',
      journeyId: 'cart-recovery-event',
      subject: 'Ada, your Glowlab cart is waiting',
      restoreUrl: cart.restore_url,
    });
    expect(email.html).toContain(`href="${cart.restore_url}"`);
    expect(email.html).toContain(`href="${SHOP}" style="color:#7a6a5d;">Glowlab</a>`);
    const token = /href="https:\/\/shop\.test\/unsubscribe\/([\w.-]+)"/.exec(email.html)?.[1] ?? '';
    expect(verifyUnsubscribeToken(token)).toEqual({ ok: true, personId: 'cus_ada' });
    expect(email.text).toContain(`Unsubscribe: ${SHOP}/unsubscribe/${token}`);
  });

  it('names the restore link only for an email that shows it', () => {
    const cart = cartAttribute(lines);
    const intent = cartIntent(cart);
    const event = productViewed(T0, 'GL-CREAM-50').properties;
    const browse = composeMessage(
      { ...intent, templateId: 'browse-recovery', data: { ...intent.data, event } },
      {
        appUrl: SHOP,
      },
    );
    expect(browse.text).not.toContain(cart.restore_url);
    expect(browse.restoreUrl).toBeNull();
  });

  it('puts no link off the shop into the email, whatever the data says', () => {
    const cart = cartAttribute(lines);
    cart.items[0]!.product_url = 'javascript:alert(document.cookie)';
    cart.items[0]!.image_url = 'https://tracker.evil.example/pixel.gif';
    cart.restore_url = 'https://evil.example/cart';
    const email = composeMessage(cartIntent(cart), { appUrl: SHOP });
    for (const body of [email.html, email.text]) expect(body).not.toMatch(/evil|javascript/);
    expect(email.restoreUrl).toBe(SHOP);
    expect(email.html).toContain(`src="${SHOP}" alt="Glow Serum"`);
  });
});

/** Ada's cart email, one that cannot be rendered (no `customer.cart`), and their runs. */
function goodAndBroken() {
  const good = cartIntent(cartAttribute(lines));
  const cartless = { ...good.data.customer };
  delete cartless.cart;
  const broken: MessageIntent = { ...good, id: 'other', runId: 'other', data: { customer: cartless } };
  const run = (id: string) => ({ id, status: 'sent', reason: null, detail: 'sent', dueAt: at('1h') }) as JourneyRun;
  return { good, broken, intents: [good, broken], runs: [run(good.runId), run('other')] };
}

describe('composeMessages', () => {
  it('fails the run of a message it cannot render (render_failed), and composes the others', () => {
    const { good, intents, runs } = goodAndBroken();
    const result = composeMessages(intents, runs, { appUrl: SHOP });
    expect(result.messages.map((m) => m.id)).toEqual([good.id]);
    expect(result.runs[0]).toMatchObject({ id: good.runId, status: 'sent' });
    expect(result.runs[1]).toMatchObject({ id: 'other', status: 'failed', reason: 'render_failed', dueAt: null });
    expect(result.runs[1]?.detail).toMatch(/customer\.cart/);
  });
});

describe('composeElsewhere, on the composing thread of a production build', () => {
  beforeEach(() => {
    resetComposeThread();
    asProductionServer(vi);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('composes there as here: a message it cannot render fails only its own run (render_failed)', async () => {
    const { intents, runs } = goodAndBroken();
    const there = await composeElsewhere(intents, runs, { appUrl: SHOP });
    expect(composeThread.posts).toBe(1);
    expect(there).toEqual(composeMessages(intents, runs, { appUrl: SHOP }));
    expect(there.runs[1]).toMatchObject({ status: 'failed', reason: 'render_failed' });
  });

  // Last: it releases the process state.
  it('ignores an answer nobody waits for; a thread ended with the process state fails what waited on it', async () => {
    const { intents, runs } = goodAndBroken();
    let thread: EventEmitter | undefined;
    composeThread.answers = false;
    composeThread.onPost = (_n, worker) => (thread = worker);
    const waiting = composeElsewhere(intents, runs, { appUrl: SHOP });
    thread!.emit('message', { id: -1, ok: true, composed: { messages: [], failed: [] } });
    await resetProcessState();
    await expect(waiting).rejects.toThrow('process state released');
  });
});

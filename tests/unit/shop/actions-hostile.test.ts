import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getQuiz } from '@/lib/shop/domain/catalog';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { hostileString } from '../../fuzz/support/arbitraries';
import { fuzzSettings } from '../../fuzz/support/settings';
import {
  actionHarness,
  count,
  FAILED_ON_OUR_SIDE,
  nextHeaders,
  nextServerRunningAfter,
  outboxWithoutFollowUp,
  requestScope,
  testDb,
  testDbModule,
} from './action-harness';

// Every server action of the shop, called as a hostile page would call it: each field (or several) replaced by a
// wrong type, a huge, negative or fractional number, a long or broken Unicode string, a NUL, or left out; a line
// repeated. A storage suite (SQLite and PostgreSQL). Whatever comes in, the answer is the action's own: a result, or
// a failure with a sentence the shopper can act on — never the "went wrong on our side" of an action that threw
// (its 500), never an error logged — and an order is stored only at the total the page showed.
vi.mock('next/headers', () => nextHeaders());
// After the response: run at once (the outbox's sends go to the stand-in pipeline).
vi.mock('next/server', (original) => nextServerRunningAfter(original));
vi.mock('@/lib/db', (original) => testDbModule(original));
// A call the outbox held back behind an earlier one of its person waits for the next pass (the minute job) instead
// of its process looking again for 30 s: the answers are this file's business, the outbox's order its own suite's.
vi.mock('@/lib/shop/server/event-outbox', (original) => outboxWithoutFollowUp(original));
const checkout = await import('@/lib/shop/actions/checkout');
const { captureEmail, requestRoutine } = await import('@/lib/shop/actions/email-capture');
const { logIn, logOut, signUp } = await import('@/lib/shop/actions/auth');
const cart = await import('@/lib/shop/actions/cart');
const browsing = await import('@/lib/shop/actions/browsing');
const { unsubscribe } = await import('@/lib/shop/actions/unsubscribe');
const { createUnsubscribeToken } = await import('@/lib/common/unsubscribe-token');
const { restoreUrl } = await import('@/lib/shop/server/restore-token');
const { registerCustomer } = await import('@/lib/shop/server/auth/accounts');

actionHarness();

const lines = [
  { sku: 'GL-SER-NIA-15', quantity: 2 },
  { sku: 'GL-BUN-GLOW', quantity: 1 },
];
const shownQuote = (code = false) => {
  const q = quoteOrder(lines, 'US', code ? 'WELCOME10' : undefined);
  return {
    country: 'US',
    totalCents: q.totalCents,
    lines: q.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
  };
};
const restoreToken = () => restoreUrl('http://shop.test', [{ sku: 'GL-SER-NIA-15', variantId: 'x', quantity: 1 }]);

/** Each action with input its page would send (fresh ids each time); `prepare`: what makes that input valid. */
type Action = {
  call: (input: unknown) => Promise<unknown>;
  valid: () => Record<string, unknown>;
  prepare?: () => Promise<unknown>;
};
const ACTIONS: Record<string, Action> = {
  quoteCheckout: {
    call: checkout.quoteCheckout,
    valid: () => ({ lines, country: 'US', discountCode: 'welcome10', email: 'quote@example.test' }),
  },
  recordCheckoutStarted: {
    call: checkout.recordCheckoutStarted,
    valid: () => ({ lines, country: 'US', messageId: randomUUID() }),
  },
  placeOrder: {
    call: checkout.placeOrder,
    valid: () => ({
      lines,
      country: 'US',
      region: 'OR',
      email: `buyer-${randomUUID()}@example.test`,
      name: 'Ada Lovelace',
      addressLine1: '1 Main St',
      city: 'Springfield',
      postalCode: '97403',
      discountCode: 'WELCOME10',
      quote: shownQuote(true),
      idempotencyKey: randomUUID(),
      account: 'guest',
    }),
  },
  captureEmail: {
    call: captureEmail,
    valid: () => ({
      email: `capture-${randomUUID()}@example.test`,
      source: 'popup',
      messageId: randomUUID(),
      cart: lines,
    }),
  },
  requestRoutine: {
    call: requestRoutine,
    valid: () => ({
      email: `routine-${randomUUID()}@example.test`,
      messageId: randomUUID(),
      cart: lines,
      result: Object.keys(getQuiz().results)[0],
    }),
  },
  signUp: {
    call: signUp,
    valid: () => ({ name: 'Ada', email: `ada-${randomUUID()}@example.test`, password: 'correct horse', cart: '[]' }),
  },
  logIn: {
    call: logIn,
    valid: () => ({ email: 'ada@example.test', password: 'correct horse' }),
    prepare: () => registerCustomer(testDb(), { email: 'ada@example.test', password: 'correct horse', name: 'Ada' }),
  },
  logOut: { call: logOut, valid: () => ({}) },
  recordCartAdd: {
    call: cart.recordCartAdd,
    valid: () => ({ lines, added: { sku: 'GL-SER-NIA-15', quantity: 1 }, messageId: randomUUID() }),
  },
  recordCartRemove: {
    call: cart.recordCartRemove,
    valid: () => ({ lines, removed: { sku: 'GL-MOI-SPF-50', quantity: 1 }, messageId: randomUUID() }),
  },
  recordCartAfterOrder: { call: cart.recordCartAfterOrder, valid: () => ({ lines }) },
  recordCartRestore: {
    call: cart.recordCartRestore,
    valid: () => ({ token: restoreToken().split('/').pop(), messageId: randomUUID() }),
  },
  recordProductView: {
    call: browsing.recordProductView,
    valid: () => ({ sku: 'GL-SER-NIA-15', messageId: randomUUID() }),
  },
  recordQuizCompleted: {
    call: browsing.recordQuizCompleted,
    valid: () => ({
      answers: Object.fromEntries(getQuiz().questions.map((q) => [q.id, q.options[0]!.id])),
      messageId: randomUUID(),
    }),
  },
  unsubscribe: { call: unsubscribe, valid: () => ({ token: createUnsubscribeToken('cus_4f9Kx2LmQ8vTz1Ab') }) },
};

/** What React's reply decoder can hand an action (server-action-request.ts lets these through), and worse. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(0, -1, 0.5, 99.5, 100, 1e21, -0, Number.NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, false, [], {}, new Date(0), 10n ** 30n) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'é'.repeat(n)) },
);

/** Runs per property and seed, as in the fuzz suite: `FUZZ_RUNS=400 npx vitest run …` for a long run. */
const { runs, seed } = fuzzSettings();

/** The request's cookies as a hostile browser may send them (session, device, ids, consent, campaign). */
const hostileCookies = fc.record(
  Object.fromEntries(
    ['glowlab_session', 'glowlab_device', 'ajs_anonymous_id', 'glowlab_consent', 'glowlab_acq', 'ajs_user_id'].map(
      (name) => [name, fc.oneof(hostileString, fc.constantFrom('%00', '%ZZ', '"quoted"', 'a.b.c'))],
    ),
  ),
  { requiredKeys: [] },
);

type Path = (string | number)[];
/** Every place in a value a mutation can hit: each key and index, at any depth. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...paths(v, path)];
  });
}

type Mutation = { path: Path; kind: 'replace' | 'remove' | 'repeat'; value: unknown };
function mutate(input: Record<string, unknown>, { path, kind, value }: Mutation): void {
  let parent: Record<string | number, unknown> = input;
  for (const key of path.slice(0, -1)) {
    const next = parent[key];
    if (typeof next !== 'object' || next === null) return; // an earlier mutation replaced it
    parent = next as Record<string | number, unknown>;
  }
  const key = path.at(-1)!;
  if (kind === 'remove') delete parent[key];
  else if (kind === 'replace') parent[key] = value;
  // A repeated line (or field): the same element twice in its list.
  else if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 0, structuredClone(parent[key]));
  else parent[key] = [parent[key], parent[key]];
}

const mutations = (input: Record<string, unknown>): fc.Arbitrary<Mutation[]> => {
  const places = paths(input);
  if (!places.length) return fc.constant([]);
  const one = fc.record({
    path: fc.constantFrom(...places),
    kind: fc.constantFrom('replace', 'replace', 'remove', 'repeat') as fc.Arbitrary<Mutation['kind']>,
    value: hostileValue,
  });
  return fc.array(one, { minLength: 1, maxLength: 3 });
};

/** The answer's promise kept: one of the action's own answers, in words for the shopper when it is a failure. */
function expectOwnAnswer(result: unknown) {
  expect(result).toMatchObject({ ok: expect.any(Boolean) });
  const { ok, error } = result as { ok: boolean; error?: unknown };
  if (ok) return;
  expect(typeof error === 'string' && error.trim().length > 0).toBe(true);
  expect(error).not.toBe(FAILED_ON_OUR_SIDE);
}

describe.each(Object.entries(ACTIONS))('%s given hostile input', (_, { call, valid, prepare }) => {
  beforeEach(async () => {
    await prepare?.();
  });

  it('takes the input its page sends (what the hostile input is made from)', async () => {
    expect(await call(valid())).toMatchObject({ ok: true });
  });

  it('answers with its own result or a sentence to act on, never a failure of its own', async () => {
    await fc.assert(
      fc.asyncProperty(mutations(valid()), fc.boolean(), hostileCookies, async (changes, asForm, cookies) => {
        // Every call has the same fields (and so the same places to break), each with fresh ids.
        const input = structuredClone(valid());
        for (const change of changes) mutate(input, change);
        for (const [name, value] of Object.entries(cookies)) if (value !== undefined) requestScope.jar.set(name, value);
        // The same fields as a form posts them (every value a string, repeated keys kept).
        const sent = asForm ? formOf(input) : input;
        expectOwnAnswer(await call(sent));
      }),
      { seed, numRuns: runs },
    );
  });

  it('answers input that is no object at all', async () => {
    for (const input of [null, undefined, 'x', 42, [], [valid()], new Date(0), new FormData()])
      expectOwnAnswer(await call(input));
  });
});

const asText = (value: unknown) =>
  JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? String(value);

function formOf(input: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(input))
    for (const each of Array.isArray(value) ? value : [value])
      form.append(key, typeof each === 'string' ? each : asText(each));
  return form;
}

describe('the quote given an email that is no address', () => {
  it('checks the code as for a guest who typed none: a NUL, which PostgreSQL cannot compare, is no failure', async () => {
    const valid = ACTIONS.quoteCheckout!.valid();
    for (const email of ['a\u0000@example.test', '\u0000', 'not an address', 'a\ud800@example.test'])
      expect(await checkout.quoteCheckout({ ...valid, email })).toMatchObject({
        ok: true,
        quote: { discountCode: 'WELCOME10', totalCents: quoteOrder(lines, 'US', 'WELCOME10').totalCents },
      });
  });
});

// The schema's max(200) answered a longer password "Enter your password.", which no wrong password gets.
describe('logIn given a password longer than any account has', () => {
  it('answers as for a wrong password, and counts it as one', async () => {
    await ACTIONS.logIn!.prepare!();
    const wrong = await logIn({ email: 'ada@example.test', password: 'wrong horse' });
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { password: [expect.any(String)] } });
    for (const password of ['x'.repeat(201), 'correct horse'.repeat(100), '😀'.repeat(500_000)])
      expect(await logIn({ email: 'ada@example.test', password }), `${password.length} characters`).toEqual(wrong);
    // Five failures (one wrong, four too long) and the right password is refused too: each was counted.
    expect(await logIn({ email: 'ada@example.test', password: 'x'.repeat(201) })).toEqual(wrong);
    expect(await logIn({ email: 'ada@example.test', password: 'correct horse' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Too many failed attempts/),
    });
  });
});

describe('a request replayed', () => {
  it('places one order per checkout attempt; a link (unsubscribe, cart restore) answers alike each time', async () => {
    for (const name of ['placeOrder', 'unsubscribe', 'recordCartRestore']) {
      const input = ACTIONS[name]!.valid();
      const [first, again] = [await ACTIONS[name]!.call(input), await ACTIONS[name]!.call(input)];
      // An order's answer carries an identity signature minted for each answer (its expiry differs): alike otherwise.
      const alike = (answer: unknown) =>
        JSON.parse(JSON.stringify(answer).replace(/"signature":"[^"]+"/g, '"signature":"(minted)"')) as unknown;
      expect(alike(again)).toEqual(alike(first));
      expect(first).toMatchObject({ ok: true });
    }
    expect(await count('orders')).toBe(1);
  });
});

describe('placeOrder given hostile input', () => {
  it('stores an order only at the total the page showed, and nothing when it refuses', async () => {
    const { valid } = ACTIONS.placeOrder!;
    await fc.assert(
      fc.asyncProperty(mutations(valid()), async (changes) => {
        const input = structuredClone(valid());
        for (const change of changes) mutate(input, change);
        const before = await count('orders');
        const result = (await checkout.placeOrder(input)) as { ok: boolean; orderId?: string };
        expectOwnAnswer(result);
        if (!result.ok) {
          expect(await count('orders')).toBe(before);
          return;
        }
        const order = await testDb()
          .selectFrom('orders')
          .select('total_cents')
          .where('id', '=', result.orderId!)
          .executeTakeFirstOrThrow();
        expect(order.total_cents).toBe((input.quote as { totalCents: number }).totalCents);
      }),
      { seed, numRuns: runs },
    );
  });
});

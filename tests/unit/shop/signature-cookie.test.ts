import { describe, expect, it, vi } from 'vitest';
import { nextHeaders, requestScope } from './action-harness';
import { ADDED_SERUM, pipelineStandIn } from './pipeline-stand-in';

// The identity signature cookie an email capture hands the browser (identifyCustomer) must still be the one the
// browser's identify with that email needs when a cart change lands first: the cart attribute's identify carries no
// email, and a cookie minted for it made the pipeline hold the browser's identify (unverified_identity,
// wrong_email). The real server tracker posts to a local stand-in of the pipeline; cookies are a jar. Only the
// cookie is asserted: when the calls reach the pipeline is the tracker's business (cart-mirror.test.ts).
const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
let known: string | undefined;
const jar = requestScope.jar.set('ajs_anonymous_id', ANON);
vi.mock('next/headers', () => nextHeaders());
vi.mock('@/lib/shop/server/auth/session', () => ({ getSession: async () => null }));
vi.mock('@/lib/shop/server/customer-browsers', () => ({
  latestCustomerOf: async () => known,
  rememberBrowser: async () => {},
  rememberCartWrite: async () => {},
  setCartLast: async () => false,
  isEmailBeingCorrected: async () => false,
}));
// A database of this file's own, in memory (whatever the shop keeps of its calls on the way).
vi.mock('@/lib/db', async (original) => {
  const db = await original<typeof import('@/lib/db')>();
  let memory: ReturnType<typeof db.openDatabase> | undefined;
  return { ...db, getDb: async () => (memory ??= db.openDatabase(':memory:')) };
});
const { identifyCustomer, mirrorCartChange } = await import('@/lib/shop/server/tracking');
const { IDENTITY_SIGNATURE_COOKIE, verifyIdentitySignature } = await import('@/lib/tracking/identity-signature');

const SERVER_KEY = 'signature-cookie-server-key-0123456789';
pipelineStandIn({ APP_SECRET: 'signature-cookie-secret-0123456789', CDP_SERVER_WRITE_KEY: SERVER_KEY }, (_, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
);

const customer = {
  id: 'cus_4f9Kx2LmQ8vTz1Ab',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  hasPassword: false,
  acquisitionSource: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  firstSeenAt: '2026-01-01T00:00:00.000Z',
};
// What the browser's identify right after the capture sends (lib/shop/server/tracking.ts browserIdentity).
const browserCall = { userId: customer.id, anonymousId: ANON, email: customer.email };
const added = ADDED_SERUM;

describe('the identity signature a capture hands the browser', () => {
  it('survives a cart change before the browser identifies: its identify with the email still verifies', async () => {
    known = undefined; // the capture is this browser's first identify
    await identifyCustomer(customer);
    const handed = jar.get(IDENTITY_SIGNATURE_COOKIE);
    expect(await verifyIdentitySignature(SERVER_KEY, handed, browserCall)).toEqual({ ok: true });

    // The shopper adds to the cart before the browser's identify goes out: the server copy and the `cart` attribute
    // go to the customer, and the attribute's identify (its traits carry no email) must leave the cookie alone.
    known = customer.id;
    const lines = [{ sku: 'GL-SER-NIA-30', quantity: 1 }];
    await mirrorCartChange('Added to Cart', added, { messageId: '8e3a1f52-6c0d-4b7a-9f21-3d5c7e9b1a04', lines });
    expect(jar.get(IDENTITY_SIGNATURE_COOKIE)).toBe(handed);
    expect(await verifyIdentitySignature(SERVER_KEY, handed, browserCall)).toEqual({ ok: true });
  });
});

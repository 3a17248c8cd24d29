import { describe, expect, it, vi } from 'vitest';
import { nextHeaders, requestScope } from './action-harness';
import { pipelineStandIn } from './pipeline-stand-in';

// GET /api/shop/tracking hands a signed-in shopper the identity signature for the anonymous id their cookie holds.
// The cookie is the browser's to set: a stranger who copied someone's anonymous id (a shared computer's cookie) and
// signed into their own account elsewhere got a signature linking that id to themselves, which moved her browsing
// history, stitched through it, onto their timeline. The shop never signs a browser it knows as someone else.
const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
let known: string | undefined;
requestScope.jar.set('ajs_anonymous_id', ANON);
vi.mock('next/headers', () => nextHeaders());
const stranger = {
  id: 'cus_Str4ngerQ8vTz1Ab00',
  email: 'stranger@example.com',
  name: 'Mallory',
  hasPassword: true,
  acquisitionSource: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  firstSeenAt: '2026-01-01T00:00:00.000Z',
};
vi.mock('@/lib/shop/server/auth/session', () => ({
  getSession: async () => ({ customerId: stranger.id }),
  currentCustomer: async () => stranger,
}));
vi.mock('@/lib/shop/server/customer-browsers', () => ({ latestCustomerOf: async () => known }));
const { trackingSession } = await import('@/lib/shop/server/tracking-session');
const { verifyIdentitySignature } = await import('@/lib/tracking/identity-signature');

const SERVER_KEY = 'tracking-session-server-key-0123456789';
pipelineStandIn({ APP_SECRET: 'tracking-session-secret-0123456789', CDP_SERVER_WRITE_KEY: SERVER_KEY }, (_, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
);
const signatureOf = async () => (await trackingSession()).identity?.signature ?? null;
const call = { userId: stranger.id, anonymousId: ANON, email: stranger.email };

describe('the signature GET /api/shop/tracking hands a signed-in shopper', () => {
  it('is minted for a browser that is theirs, or no one’s yet', async () => {
    for (const owner of [stranger.id, undefined]) {
      known = owner;
      expect(await verifyIdentitySignature(SERVER_KEY, await signatureOf(), call)).toEqual({ ok: true });
    }
  });

  it('names the anonymous id it was minted for; a browser with none yet gets neither, to ask again once it has one', async () => {
    known = undefined;
    expect(await trackingSession()).toMatchObject({ anonymousId: ANON, identity: { signature: expect.any(String) } });
    // Opt-in before Accept: no anonymous id cookie. A signature for "no id" would only be held by the pipeline.
    requestScope.jar.delete('ajs_anonymous_id');
    try {
      expect(await trackingSession()).toMatchObject({ anonymousId: null, identity: { signature: null } });
    } finally {
      requestScope.jar.set('ajs_anonymous_id', ANON);
    }
  });

  it('is withheld for a browser the shop identified as another customer', async () => {
    known = 'cus_Vict1mQ8vTz1Ab000';
    const session = await trackingSession();
    expect(session.identity).toMatchObject({ customerId: stranger.id, signature: null });
    expect(session.knownCustomerId).toBe(stranger.id);
  });
});

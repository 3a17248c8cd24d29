import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import {
  createRestoreToken,
  RESTORE_TOKEN_TTL_MS,
  restoreLinkStatus,
  restoreTokenId,
  verifyRestoreToken,
  type RestoreLine,
} from '@/lib/shop/server/restore-token';

const saved = process.env.APP_SECRET;
const useSecret = (secret: string) => {
  process.env.APP_SECRET = secret;
  resetEnvCache();
};
beforeAll(() => useSecret('unit-test-secret-0123456789'));
afterAll(() => {
  if (saved === undefined) delete process.env.APP_SECRET;
  else process.env.APP_SECRET = saved;
  resetEnvCache();
});

const lines: RestoreLine[] = [
  { sku: 'GL-SERUM-30', variantId: 'glow-serum-30ml', quantity: 2 },
  { sku: 'GL-CREAM-50', variantId: 'barrier-cream-50ml', quantity: 1 },
  { sku: 'GL-CLEANSE', variantId: 'milk-cleanser-150ml', quantity: 3 },
];
const expiresAt = new Date('2026-03-09T12:00:00.000Z');

/** Replaces one character of the token at `index` with a different URL-safe one. */
const flip = (token: string, index: number) =>
  token.slice(0, index) + (token[index] === 'A' ? 'B' : 'A') + token.slice(index + 1);

describe('restore tokens', () => {
  it('round-trip the exact lines and expiry, compact enough for a URL', () => {
    const token = createRestoreToken({ lines, expiresAt });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(250);
    expect(verifyRestoreToken(token, new Date('2026-03-02T12:00:00Z'))).toEqual({ ok: true, lines, expiresAt });
  });

  it('are valid up to and including expiresAt, expired 1 ms later', () => {
    const token = createRestoreToken({ lines, expiresAt });
    expect(verifyRestoreToken(token, expiresAt).ok).toBe(true);
    expect(verifyRestoreToken(token, new Date(expiresAt.getTime() + 1))).toEqual({ ok: false, reason: 'expired' });
  });

  it("give their page's status: 410 once expired (gone for good), 404 if never a link, 200 while valid", async () => {
    // shopNow is the wall clock here (no manual pipeline clock).
    expect(await restoreLinkStatus(createRestoreToken({ lines, expiresAt: new Date(Date.now() - 1) }))).toBe(410);
    expect(await restoreLinkStatus('not-a-real-token')).toBe(404);
    expect(await restoreLinkStatus(createRestoreToken({ lines }))).toBeNull();
  });

  it('default to 7 days', () => {
    // A fixed wall clock: the default expiry is exactly now + 7 days, with no allowance for a slow machine.
    vi.useFakeTimers({ now: new Date('2026-03-02T12:00:00.000Z'), toFake: ['Date'] });
    try {
      const result = verifyRestoreToken(createRestoreToken({ lines }));
      expect(result).toEqual({ ok: true, lines, expiresAt });
      expect(RESTORE_TOKEN_TTL_MS).toBe(7 * 24 * 3600 * 1000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reject a tampered payload or signature, and a token signed with another secret', () => {
    const token = createRestoreToken({ lines, expiresAt });
    const dot = token.indexOf('.');
    const now = new Date('2026-03-02T12:00:00Z');
    expect(verifyRestoreToken(flip(token, 5), now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyRestoreToken(flip(token, dot + 5), now)).toEqual({ ok: false, reason: 'bad_signature' });
    // Someone raising a quantity re-encodes the payload: the signature no longer matches.
    const [payload, signature] = token.split('.') as [string, string];
    const raised = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    raised.l[0][2] = 99;
    expect(
      verifyRestoreToken(`${Buffer.from(JSON.stringify(raised)).toString('base64url')}.${signature}`, now),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    useSecret('another-secret-0123456789');
    expect(verifyRestoreToken(token, now)).toEqual({ ok: false, reason: 'bad_signature' });
    useSecret('unit-test-secret-0123456789');
    expect(verifyRestoreToken(token, now).ok).toBe(true);
  });

  it('are named (restore_token_id) by the start of the signature, which differs between two links', () => {
    const a = createRestoreToken({ lines, expiresAt });
    // The same cart before its last item was added: the payloads open alike (the JSON, then the first SKU).
    const b = createRestoreToken({ lines: lines.slice(0, 2), expiresAt });
    expect(a.slice(0, 16)).toBe(b.slice(0, 16));
    expect(restoreTokenId(a)).toBe(a.split('.')[1]!.slice(0, 16));
    expect(restoreTokenId(a)).toHaveLength(16);
    expect(restoreTokenId(a)).not.toBe(restoreTokenId(b));
  });

  it('call anything that is not a token malformed', () => {
    for (const junk of ['', 'abc', 'a.b.c', 'a b.c', '.sig', 'payload.']) {
      expect(verifyRestoreToken(junk), junk).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuse to mint a token for an invalid cart', () => {
    expect(() => createRestoreToken({ lines: [], expiresAt })).toThrow();
    expect(() =>
      createRestoreToken({ lines: [{ sku: 'GL-SERUM-30', variantId: 'v', quantity: 0 }], expiresAt }),
    ).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import {
  IDENTITY_SIGNATURE_TTL_MS,
  mintIdentitySignature,
  signedUserId,
  verifyIdentitySignature,
  type IdentityClaims,
} from '@/lib/tracking/identity-signature';

const KEY = 'server-write-key-for-signature-tests';
const T0 = new Date('2030-01-01T12:00:00.000Z');
const claims: IdentityClaims = { userId: 'cus_ada000000000000000', anonymousId: 'anon-ada', email: 'Ada@Example.test' };
const verify = (token: unknown, call = claims, now = T0, key = KEY) => verifyIdentitySignature(key, token, call, now);

describe('identity signatures', () => {
  it('verify exactly the userId, anonymous id and email they were minted for, until they expire', async () => {
    const token = await mintIdentitySignature(KEY, claims, T0);
    expect(await verify(token)).toEqual({ ok: true });
    // The email is compared as the pipeline stores it (trimmed, lower-cased), and may be left out of the call.
    expect(await verify(token, { ...claims, email: ' ada@example.TEST ' })).toEqual({ ok: true });
    expect(await verify(token, { ...claims, email: null })).toEqual({ ok: true });
    const later = new Date(T0.getTime() + IDENTITY_SIGNATURE_TTL_MS - 1);
    expect(await verify(token, claims, later)).toEqual({ ok: true });
    expect(await verify(token, claims, new Date(T0.getTime() + IDENTITY_SIGNATURE_TTL_MS))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuse another user, another anonymous id and an email the signature does not cover', async () => {
    const token = await mintIdentitySignature(KEY, claims, T0);
    expect(await verify(token, { ...claims, userId: 'cus_eve000000000000000' })).toEqual({
      ok: false,
      reason: 'wrong_user',
    });
    expect(await verify(token, { ...claims, anonymousId: 'anon-eve' })).toEqual({
      ok: false,
      reason: 'wrong_anonymous_id',
    });
    expect(await verify(token, { ...claims, anonymousId: null })).toEqual({ ok: false, reason: 'wrong_anonymous_id' });
    expect(await verify(token, { ...claims, email: 'eve@example.test' })).toEqual({ ok: false, reason: 'wrong_email' });
    // An empty email is an email too: it must not pass as "none sent" and blank the person's email unsigned.
    expect(await verify(token, { ...claims, email: '' })).toEqual({ ok: false, reason: 'wrong_email' });
    const noEmail = await mintIdentitySignature(KEY, { ...claims, email: null }, T0);
    expect(await verify(noEmail, { ...claims, email: 'ada@example.test' })).toEqual({
      ok: false,
      reason: 'wrong_email',
    });
  });

  it('refuse a missing, malformed, re-signed or tampered token before reading its claims', async () => {
    const token = await mintIdentitySignature(KEY, claims, T0);
    expect(await verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await verify('')).toEqual({ ok: false, reason: 'missing' });
    for (const bad of [42, 'v1', 'v1.abc', 'v2.abc.def', `${token}.extra`, 'v1.a b.c'])
      expect(await verify(bad), String(bad)).toEqual({ ok: false, reason: 'malformed' });
    // A token made with another key (the public browser key, say) is not the shop's.
    expect(await verify(await mintIdentitySignature('glowlab-dev-write-key', claims, T0))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // Claims swapped for someone else's, keeping the MAC: the MAC no longer matches.
    const [version, , mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'cus_eve000000000000000', a: 'anon-ada', e: null, x: 9e15 }));
    expect(await verify(`${version}.${forged.toString('base64url')}.${mac}`)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('tell the browser which userId a token is for, and nothing for garbage', async () => {
    expect(signedUserId(await mintIdentitySignature(KEY, claims, T0))).toBe(claims.userId);
    expect(signedUserId('v1.%%%.x')).toBeNull();
    expect(signedUserId(null)).toBeNull();
  });
});

import { toZod } from './descriptor-zod';
import { normalizeEmail } from './email';
import {
  SIGNATURE_PAYLOAD,
  SIGNATURE_VERSION as VERSION,
  fromBase64Url,
  readPayload,
  toBase64Url,
  type SignaturePayload as Payload,
} from './identity-signature-token';

export { IDENTITY_SIGNATURE_CONTEXT_KEY, IDENTITY_SIGNATURE_COOKIE, signedUserId } from './identity-signature-token';

/**
 * Signed identity for browser identify calls (README "Signed identity"). The browser write key is public, so a
 * pipeline cannot tell the shop's browser from anyone else's; what it can check is a short-lived signature the
 * shop's SERVER minted for exactly this userId, this anonymous id and (when one is sent) this email:
 *
 *   v1.<payload>.<mac>   payload = base64url(JSON { u: userId, a: anonymousId | null, e: emailDigest | null, x: expiry ms })
 *                        mac     = base64url(HMAC-SHA256(signing key, "v1." + payload))
 *   signing key = HMAC-SHA256(server write key, "glowlab/identity-signature/v1")
 *
 * The key is derived from the server write key because that is already the one secret the shop's server and the
 * pipeline share (also when the pipeline runs in another app); the label keeps the key itself from ever being
 * used as a MAC key. Web Crypto only, so the module runs in Node, the edge and the browser (which only reads
 * `signedUserId`, never a key).
 */
export const IDENTITY_SIGNATURE_TTL_MS = 10 * 60 * 1000;

const KEY_LABEL = 'glowlab/identity-signature/v1';

/** What a signature vouches for: the ids (and email) of one identify or alias call. */
export type IdentityClaims = { userId: string; anonymousId?: string | null; email?: string | null };

export const IDENTITY_SIGNATURE_FAILURES = [
  'missing',
  'malformed',
  'bad_signature',
  'expired',
  'wrong_user',
  'wrong_anonymous_id',
  'wrong_email',
] as const;
export type IdentitySignatureFailure = (typeof IDENTITY_SIGNATURE_FAILURES)[number];
export type IdentitySignatureCheck = { ok: true } | { ok: false; reason: IdentitySignatureFailure };

// zod at the boundary: the pipeline checks the payload with the schema built from the token module's data.
const payloadSchema = toZod(SIGNATURE_PAYLOAD);

const encoder = new TextEncoder();

async function emailDigest(email: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', encoder.encode(normalizeEmail(email)));
  return toBase64Url(new Uint8Array(hash));
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key derived from a server write key (memoised: ingest verifies many calls with one key). */
function signingKey(serverWriteKey: string): Promise<CryptoKey> {
  let key = keys.get(serverWriteKey);
  if (!key) {
    key = (async () => {
      const master = await crypto.subtle.importKey(
        'raw',
        encoder.encode(serverWriteKey),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const derived = await crypto.subtle.sign('HMAC', master, encoder.encode(KEY_LABEL));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    })();
    keys.set(serverWriteKey, key);
  }
  return key;
}

/** Mints the signature for one identity (server side: the key never reaches a browser). */
export async function mintIdentitySignature(
  serverWriteKey: string,
  claims: IdentityClaims,
  now: Date = new Date(),
): Promise<string> {
  const payload: Payload = {
    u: claims.userId,
    a: claims.anonymousId ?? null,
    e: claims.email ? await emailDigest(claims.email) : null,
    x: now.getTime() + IDENTITY_SIGNATURE_TTL_MS,
  };
  const body = `${VERSION}.${toBase64Url(encoder.encode(JSON.stringify(payload)))}`;
  const mac = await crypto.subtle.sign('HMAC', await signingKey(serverWriteKey), encoder.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(mac))}`;
}

function decodePayload(part: string): Payload | null {
  const parsed = payloadSchema.safeParse(readPayload(part));
  return parsed.success ? parsed.data : null;
}

/**
 * Checks `token` for the call's ids and email, at `now`. The MAC is checked (in constant time, by Web Crypto's
 * verify) before any claim is read, so a forged token only ever learns `bad_signature`.
 */
export async function verifyIdentitySignature(
  serverWriteKey: string,
  token: unknown,
  call: IdentityClaims,
  now: Date = new Date(),
): Promise<IdentitySignatureCheck> {
  if (token === undefined || token === null || token === '') return { ok: false, reason: 'missing' };
  if (typeof token !== 'string' || token.length > 2048) return { ok: false, reason: 'malformed' };
  const [version, part, macText, ...rest] = token.split('.');
  const mac = macText === undefined ? null : fromBase64Url(macText);
  if (version !== VERSION || !part || !mac || rest.length) return { ok: false, reason: 'malformed' };
  const key = await signingKey(serverWriteKey);
  const signed = await crypto.subtle.verify('HMAC', key, mac, encoder.encode(`${version}.${part}`));
  if (!signed) return { ok: false, reason: 'bad_signature' };
  const payload = decodePayload(part);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (payload.x <= now.getTime()) return { ok: false, reason: 'expired' };
  if (payload.u !== call.userId) return { ok: false, reason: 'wrong_user' };
  if (payload.a !== (call.anonymousId ?? null)) return { ok: false, reason: 'wrong_anonymous_id' };
  // Any email sent is checked, the empty one too: it would otherwise set the person's email to '' unsigned.
  if (call.email != null && payload.e !== (await emailDigest(call.email))) return { ok: false, reason: 'wrong_email' };
  return { ok: true };
}

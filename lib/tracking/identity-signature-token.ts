import { issuesOf } from './descriptor-check';
import { nullable, number, object, string, type Value } from './descriptors';

/**
 * The zod-free part of identity signatures (./identity-signature.ts): the names, the token's encoding and its
 * payload as data, and `signedUserId`, all the browser needs (its middleware attaches a token only to its own
 * user's identify). Minting and verifying, with zod and the key, stay in ./identity-signature.ts.
 */
export const IDENTITY_SIGNATURE_CONTEXT_KEY = 'identity_signature';
/** Short-lived, not httpOnly: the browser SDK's middleware reads it and puts it into the identify call. */
export const IDENTITY_SIGNATURE_COOKIE = 'ajs_identity_signature';
export const SIGNATURE_VERSION = 'v1';

/** The signed claims: userId, anonymous id, email digest, expiry (ms). */
export const SIGNATURE_PAYLOAD = object({
  u: string({ min: 1 }),
  a: nullable(string({ min: 1 })),
  e: nullable(string({ min: 1 })),
  x: number({ int: true, gt: 0 }),
});
export type SignaturePayload = Value<typeof SIGNATURE_PAYLOAD>;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** A token's payload part decoded to JSON, unchecked; undefined when it is not base64url JSON. */
export function readPayload(part: string): unknown {
  const bytes = fromBase64Url(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** The userId a token was minted for, unverified: the browser uses it to attach a token only to its own identify. */
export function signedUserId(token: string | null | undefined): string | null {
  const part = token?.split('.')[1];
  if (!part) return null;
  const payload = readPayload(part);
  return issuesOf(SIGNATURE_PAYLOAD, payload).length === 0 ? (payload as SignaturePayload).u : null;
}

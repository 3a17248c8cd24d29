import 'server-only';
import { sign, verifySignature } from './secrets';

/**
 * Tokens for links the shop and the pipeline hand out (cart restore, unsubscribe): base64url(JSON payload) "."
 * HMAC-SHA256 (./secrets) of the purpose followed by the payload. The purpose separates the kinds, so a token
 * made for one thing never passes as another.
 */
export function signToken(purpose: string, payload: unknown): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${sign(purpose + encoded)}`;
}

export type TokenRead = { ok: true; payload: unknown } | { ok: false; reason: 'malformed' | 'bad_signature' };

/** The payload of a token made by `signToken` with the same purpose. The signature is checked before parsing. */
export function readToken(purpose: string, token: string): TokenRead {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, encoded = '', signature = ''] = match;
  if (!verifySignature(purpose + encoded, signature)) return { ok: false, reason: 'bad_signature' };
  try {
    return { ok: true, payload: JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

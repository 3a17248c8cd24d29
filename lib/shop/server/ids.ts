import 'server-only';
import crypto from 'node:crypto';

/** `<prefix>_` + 24 url-safe random characters (144 bits): unguessable, so ids can appear in links. */
export function mintId(prefix: 'cus' | 'ord'): string {
  return `${prefix}_${crypto.randomBytes(18).toString('base64url')}`;
}

import 'server-only';
import crypto from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { secureCookies } from '@/lib/common/cookies';
import { DAY, maxAgeSeconds } from '@/lib/common/duration';
import { sign, verifySignature } from '@/lib/common/secrets';

/**
 * OWASP's device cookie: after a successful sign-in the browser keeps `<nonce>.<signature of customer + nonce>`.
 * A login attempt carrying a valid one for the account is the owner's known browser and has its own rate limit
 * (rate-limit.ts), untouched by anyone else's failures.
 */
export const DEVICE_COOKIE = 'glowlab_device';
const DEVICE_TTL_MS = 365 * DAY;

const subject = (customerId: string, nonce: string) => `login-device:${customerId}:${nonce}`;

export function mintDeviceToken(customerId: string): string {
  const nonce = crypto.randomBytes(16).toString('base64url');
  return `${nonce}.${sign(subject(customerId, nonce))}`;
}

/** The token's nonce when it was minted for this customer, else null. */
export function deviceNonce(token: string | null | undefined, customerId: string): string | null {
  const [nonce, signature, ...rest] = (token ?? '').split('.');
  if (!nonce || !signature || rest.length) return null;
  return verifySignature(subject(customerId, nonce), signature) ? nonce : null;
}

/** Server actions only: marks this browser as the customer's known device. */
export async function rememberDevice(customerId: string): Promise<void> {
  (await cookies()).set(DEVICE_COOKIE, mintDeviceToken(customerId), {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies({ headers: await headers() }),
    path: '/',
    maxAge: maxAgeSeconds(DEVICE_TTL_MS),
  });
}

export const readDeviceToken = async () => (await cookies()).get(DEVICE_COOKIE)?.value ?? null;

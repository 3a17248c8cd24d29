import 'server-only';
import crypto from 'node:crypto';

/** Compares secrets in constant time so response timing does not leak how much of a guess was right. */
export function safeEqual(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

import 'server-only';
import type { DB } from '@/lib/db';
import { normalizeEmail } from '@/lib/common/email';
import { findOrCreateCustomerByEmail, toCustomer, type Customer } from '../customers';
import { decoyHash, hashPassword, verifyPassword } from './password';
import { checkLoginAllowed, clearFailedLogins, loginAttemptKey, recordFailedLogin } from './rate-limit';

export type AccountResult =
  { ok: true; customer: Customer } | { ok: false; error: string; field?: 'email' | 'password' };

export const ACCOUNT_EXISTS_ERROR = 'An account with this email already exists. Log in instead.';
export const BAD_CREDENTIALS_ERROR = 'That email and password do not match an account. Check both and try again.';

/**
 * Signs up. An email already known from guest checkout or email capture is CLAIMED: the password is set
 * on that same customer id, so the shopper's history stays one profile. We do not verify email ownership,
 * which is why a claimed account does not show the guest orders placed before signup (see orders.ts).
 */
export async function registerCustomer(
  db: DB,
  input: { email: string; password: string; name: string; acquisitionSource?: string },
): Promise<AccountResult> {
  const passwordHash = await hashPassword(input.password);
  const customer = await findOrCreateCustomerByEmail(db, input.email, {
    name: input.name,
    acquisitionSource: input.acquisitionSource ?? 'signup',
  });
  // Only a passwordless (guest) row can be claimed; the condition also settles two signups racing.
  const claimed = await db
    .updateTable('customers')
    .set({ password_hash: passwordHash, name: input.name })
    .where('id', '=', customer.id)
    .where('password_hash', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return { ok: false, error: ACCOUNT_EXISTS_ERROR, field: 'email' };
  return { ok: true, customer: toCustomer(claimed) };
}

/** Checks a password, at most MAX_FAILED_LOGINS wrong tries per email + IP per window. */
export async function authenticate(
  db: DB,
  input: { email: string; password: string; ip: string },
  now = new Date(),
): Promise<AccountResult> {
  const key = loginAttemptKey(normalizeEmail(input.email), input.ip);
  const allowance = await checkLoginAllowed(db, key, now);
  if (!allowance.allowed) {
    const minutes = allowance.retryInMinutes === 1 ? '1 minute' : `${allowance.retryInMinutes} minutes`;
    return { ok: false, error: `Too many failed attempts. Try again in ${minutes}.` };
  }
  const row = await db
    .selectFrom('customers')
    .selectAll()
    .where('email', '=', normalizeEmail(input.email))
    .executeTakeFirst();
  // Unknown emails and guests still pay for a hash check, so timing does not reveal which emails exist.
  const valid = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash()));
  if (!row?.password_hash || !valid) {
    await recordFailedLogin(db, key, now);
    return { ok: false, error: BAD_CREDENTIALS_ERROR, field: 'password' };
  }
  await clearFailedLogins(db, key);
  return { ok: true, customer: toCustomer(row) };
}

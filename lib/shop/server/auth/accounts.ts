import 'server-only';
import type { DB } from '@/lib/db';
import { normalizeEmail } from '@/lib/tracking/email';
import { findOrCreateCustomerByEmail, toCustomer, type Customer } from '../customers';
import { tryAgainIn } from '@/lib/common/attempts';
import { deviceNonce } from './device';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password';
import { clearFailedLogins, loginAllowance, recordFailedLogin } from './rate-limit';

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

/**
 * Checks a password under the login rate limits (rate-limit.ts); `deviceToken` is the browser's device cookie.
 * A right password stored with an older scrypt cost is rehashed at today's.
 */
export async function authenticate(
  db: DB,
  input: { email: string; password: string; ip: string; deviceToken?: string | null },
  now = new Date(),
): Promise<AccountResult> {
  const email = normalizeEmail(input.email);
  const row = await db.selectFrom('customers').selectAll().where('email', '=', email).executeTakeFirst();
  const attempt = { email, ip: input.ip, device: row ? deviceNonce(input.deviceToken, row.id) : null };
  const allowance = await loginAllowance(db, attempt, now);
  if (!allowance.allowed) {
    return { ok: false, error: `Too many failed attempts. ${tryAgainIn(allowance.retryInMinutes)}` };
  }
  // Unknown emails and guests still pay for a hash check, so timing does not reveal which emails exist.
  const valid = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash()));
  if (!row?.password_hash || !valid) {
    await recordFailedLogin(db, attempt, now);
    return { ok: false, error: BAD_CREDENTIALS_ERROR, field: 'password' };
  }
  await clearFailedLogins(db, attempt);
  if (!needsRehash(row.password_hash)) return { ok: true, customer: toCustomer(row) };
  const passwordHash = await hashPassword(input.password);
  await db.updateTable('customers').set({ password_hash: passwordHash }).where('id', '=', row.id).execute();
  return { ok: true, customer: toCustomer({ ...row, password_hash: passwordHash }) };
}

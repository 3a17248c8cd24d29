import 'server-only';
import type { DB } from '@/lib/db';
import { checkAttempts, clearAttempts, recordAttempt, type Allowance, type AttemptLimit } from '@/lib/common/attempts';
import { addressBlock } from '@/lib/common/address-block';

/**
 * Wrong passwords allowed in the 15-minute window (lib/common/attempts.ts), following OWASP's "device cookies":
 * - a browser that signed into the account before carries a device cookie (device.ts) and has a limit of its own,
 *   so no stranger's failures, from anywhere, can lock the owner out of that browser;
 * - any other client gets `accountClient` tries per account, `client` tries across all accounts (spraying one
 *   password over many emails), and all such clients together `account` tries per account (a guess spread over
 *   many addresses), after which only the owner's known browsers get in until the window passes.
 */
export const LOGIN_LIMITS = { device: 5, accountClient: 5, client: 30, account: 50 } as const;

/** One login attempt: the account (normalised email), the client address, the device nonce if it is valid. */
export type LoginAttempt = { email: string; ip: string; device: string | null };

function limitsFor({ email, ip, device }: LoginAttempt): AttemptLimit[] {
  if (device) return [{ key: `login:device:${device}`, max: LOGIN_LIMITS.device }];
  // A client is its address block: an IPv6 /56 is one end site's to send from, however many addresses it uses.
  const client = addressBlock(ip);
  return [
    { key: `login:account-client:${email}|${client}`, max: LOGIN_LIMITS.accountClient },
    { key: `login:client:${client}`, max: LOGIN_LIMITS.client },
    { key: `login:account:${email}`, max: LOGIN_LIMITS.account },
  ];
}

export const loginAllowance = (db: DB, attempt: LoginAttempt, now = new Date()): Promise<Allowance> =>
  checkAttempts(db, limitsFor(attempt), now);

export const recordFailedLogin = (db: DB, attempt: LoginAttempt, now = new Date()) =>
  recordAttempt(
    db,
    limitsFor(attempt).map((l) => l.key),
    now,
  );

/** A success clears this client's own count; the account-wide and client-wide ones are an attack's and stay. */
export const clearFailedLogins = (db: DB, attempt: LoginAttempt) => clearAttempts(db, [limitsFor(attempt)[0]!.key]);

/**
 * Signup and email capture answer differently for an address that is already a customer ("account exists", or no
 * identify), so each such answer is a probe; a client gets PROBE_LIMIT per window, then every signup and capture
 * from it is refused, known address or not, until the window passes.
 */
export const PROBE_LIMIT = 10;
const probeKey = (ip: string) => `probe:client:${addressBlock(ip)}`;

export const probeAllowance = (db: DB, ip: string, now = new Date()) =>
  checkAttempts(db, [{ key: probeKey(ip), max: PROBE_LIMIT }], now);

export const recordProbe = (db: DB, ip: string, now = new Date()) => recordAttempt(db, [probeKey(ip)], now);

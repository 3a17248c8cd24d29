import 'server-only';
import crypto from 'node:crypto';

/**
 * scrypt password hashes stored as `scrypt$N$r$p$salt$hash` (base64url). Verification uses the parameters stored
 * with the hash, so the cost can be raised without invalidating anyone: a login with an older hash is rehashed at
 * the current cost (`needsRehash`). N = 2^17, r = 8, p = 1 is OWASP's minimum for scrypt (Password Storage Cheat
 * Sheet); it needs 128 · N · r = 128 MiB, above Node's 32 MiB default `maxmem`, hence the explicit limit.
 */
export const PASSWORD_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
type Params = { N: number; r: number; p: number };
/**
 * The unit tests' cost (N = 2^12, 32 times cheaper): they hash and verify hundreds of passwords. Only inside
 * vitest with NODE_ENV=test — `next build` inlines NODE_ENV as production, so a deployed app cannot reach it.
 */
const UNIT_TEST_PARAMS = { N: 2 ** 12, r: 8, p: 1 } as const;

/** The cost new hashes get: PASSWORD_PARAMS everywhere but the unit tests. */
export function passwordParams(): Params {
  return process.env.NODE_ENV === 'test' && process.env.VITEST === 'true' ? UNIT_TEST_PARAMS : PASSWORD_PARAMS;
}
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Room for the current cost and a stored hash up to twice as costly; a larger stored N fails, not the process. */
const MAX_MEMORY = 2 * 128 * PASSWORD_PARAMS.N * PASSWORD_PARAMS.r + 1024 * 1024;

function scrypt(password: string, salt: Buffer, params: Params): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `params` other than the current ones are for tests of hashes made before a cost change. */
export async function hashPassword(password: string, params: Params = passwordParams()): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { params: Params; salt: string; hash: string } | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  return Object.values(params).every((v) => Number.isInteger(v) && v > 0) ? { params, salt, hash } : null;
}

/** False for a wrong password and for a malformed stored hash; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const expected = Buffer.from(parsed.hash, 'base64url');
  try {
    const actual = await scrypt(password, Buffer.from(parsed.salt, 'base64url'), parsed.params);
    return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** A hash made with other parameters than today's: replace it once the password is known to be right. */
export function needsRehash(stored: string): boolean {
  const params = parse(stored)?.params;
  const current = passwordParams();
  return !params || params.N !== current.N || params.r !== current.r || params.p !== current.p;
}

// Checked against when the email is unknown, so "no such account" takes as long as "wrong password".
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return decoy;
}

import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '@/lib/db';
import { env } from '@/lib/env';

const cache = new Map<string, string>();

/**
 * A secret from the environment when set, otherwise generated once and kept in data/ so it survives restarts
 * (sessions, signed links and the ops token stay valid) without any configuration.
 */
export function persistentSecret(
  name: 'app-secret' | 'ops-token' | 'server-write-key',
  fromEnv: string | undefined,
): string {
  if (fromEnv) return fromEnv;
  const hit = cache.get(name);
  if (hit) return hit;
  const file = path.join(dataDir(), name);
  let value: string;
  try {
    value = readSecretFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    value = crypto.randomBytes(24).toString('base64url');
    // `wx` fails if another process won the race; then read theirs.
    try {
      fs.writeFileSync(file, value + '\n', { flag: 'wx', mode: 0o600 });
    } catch {
      value = readSecretFile(file);
    }
  }
  cache.set(name, value);
  return value;
}

/**
 * The file's secret. Another process that won the race may have created it and not yet written it: wait for the
 * value (briefly) rather than read an empty secret, which would sign with a key anyone knows.
 */
function readSecretFile(file: string): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value) return value;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  throw new Error(`${file} is empty: delete it to generate a new secret, or set the variable`);
}

export const appSecret = () => persistentSecret('app-secret', env().APP_SECRET);

/**
 * The secret server write key (CDP_SERVER_WRITE_KEY): the shop's server tracker sends it, the pipeline trusts
 * calls made with it and verifies identity signatures derived from it.
 */
export const serverWriteKey = () => persistentSecret('server-write-key', env().CDP_SERVER_WRITE_KEY);

/** HMAC-SHA256 signature (base64url) used for order links and restore tokens. */
export function sign(value: string): string {
  return crypto.createHmac('sha256', appSecret()).update(value).digest('base64url');
}

export function verifySignature(value: string, signature: string): boolean {
  return safeEqual(signature, sign(value));
}

/** Compares secrets in constant time so response timing does not leak how much of a guess was right. */
export function safeEqual(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

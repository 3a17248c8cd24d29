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
  return crypto.timingSafeEqual(sha256(given), sha256(expected));
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest();

// The app's own secrets' digests (a handful: the write keys, which every ingest request's key is compared with):
// hashing them per request was a visible part of a single call's ingest (issue 13).
const secretDigests = new Map<string, Buffer>();

function digestOfSecret(secret: string): Buffer {
  let digest = secretDigests.get(secret);
  if (!digest) {
    if (secretDigests.size >= 16) secretDigests.clear();
    secretDigests.set(secret, (digest = sha256(secret)));
  }
  return digest;
}

/**
 * Which of the app's own `secrets` (not values derived from a request) `given` is, compared with each in constant
 * time as safeEqual does, `given` hashed once: its index, or -1.
 */
export function matchingSecret(given: string, secrets: readonly string[]): number {
  const digest = sha256(given);
  let match = -1;
  secrets.forEach((secret, i) => {
    if (crypto.timingSafeEqual(digest, digestOfSecret(secret)) && match === -1) match = i;
  });
  return match;
}

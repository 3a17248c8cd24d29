import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  hashPassword,
  needsRehash,
  PASSWORD_PARAMS,
  passwordParams,
  verifyPassword,
} from '@/lib/shop/server/auth/password';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it("in production, salts every hash and stores OWASP's minimum scrypt cost (N=2^17, r=8, p=1) with it", async () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(PASSWORD_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    expect(passwordParams()).toEqual(PASSWORD_PARAMS);
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('same password', b)).toBe(true);
    expect(needsRehash(a)).toBe(false);
  });

  it('uses a lower cost only inside vitest with NODE_ENV=test', () => {
    expect(passwordParams().N).toBeLessThan(PASSWORD_PARAMS.N);
    for (const [NODE_ENV, VITEST] of [
      ['production', 'true'],
      ['development', 'true'],
      ['test', ''],
    ]) {
      vi.stubEnv('NODE_ENV', NODE_ENV);
      vi.stubEnv('VITEST', VITEST);
      expect(passwordParams()).toEqual(PASSWORD_PARAMS);
    }
  });

  it('verifies a hash made at an older cost with its own parameters, and asks for a rehash', async () => {
    const old = await hashPassword('old password', { N: passwordParams().N / 4, r: 8, p: 1 });
    expect(await verifyPassword('old password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('treats a malformed stored hash as a mismatch instead of throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$x$8$1$c2FsdA$aGFzaA',
      'md5$1$2$3$a$b',
      'scrypt$4194304$8$1$c2FsdA$aGFzaA',
    ]) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });
});

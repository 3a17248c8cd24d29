import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '@/lib/shop/server/auth/password';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash and stores the parameters with it', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('treats a malformed stored hash as a mismatch instead of throwing', async () => {
    for (const stored of ['', 'plain', 'scrypt$x$8$1$c2FsdA$aGFzaA', 'md5$1$2$3$a$b']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });
});

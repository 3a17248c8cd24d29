import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { isOpsRequest, isOpsToken, OPS_COOKIE, opsSessionValue } from '@/lib/cdp/ops/auth';

const saved = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, { OPS_TOKEN: 'ops-token-for-tests', APP_SECRET: 'app-secret-for-unit-tests' });
  resetEnvCache();
});
afterAll(() => {
  process.env = { ...saved };
  resetEnvCache();
});

const request = (headers: Record<string, string>) => new Request('http://127.0.0.1/api/ops/people', { headers });

describe('ops auth', () => {
  it('accepts the bearer token and refuses anything else', () => {
    expect(isOpsToken('ops-token-for-tests')).toBe(true);
    expect(isOpsToken('ops-token-for-test')).toBe(false);
    expect(isOpsRequest(request({ authorization: 'Bearer ops-token-for-tests' }))).toBe(true);
    expect(isOpsRequest(request({ authorization: 'Bearer nope' }))).toBe(false);
    expect(isOpsRequest(request({}))).toBe(false);
  });

  it("accepts the console's signed cookie, which is not the token itself", () => {
    const value = opsSessionValue();
    expect(value).not.toContain('ops-token-for-tests');
    expect(isOpsRequest(request({ cookie: `theme=dark; ${OPS_COOKIE}=${value}` }))).toBe(true);
    expect(isOpsRequest(request({ cookie: `${OPS_COOKIE}=ops-token-for-tests` }))).toBe(false);
  });

  it('refuses a cookie with a malformed escape instead of throwing', () => {
    expect(isOpsRequest(request({ cookie: `${OPS_COOKIE}=%ZZ` }))).toBe(false);
    expect(isOpsRequest(request({ cookie: `${OPS_COOKIE}=%E0%A4%A` }))).toBe(false);
  });
});

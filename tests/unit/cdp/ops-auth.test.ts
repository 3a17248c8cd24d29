import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { isOpsRequest, isOpsToken, OPS_COOKIE, opsSessionValue } from '@/lib/cdp/ops/auth';
import { opsErrorResponse, peopleResponse } from '@/lib/cdp/ops/contract';
import { opsRoute } from '@/lib/cdp/ops/route';

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

describe('opsRoute', () => {
  it('refuses a NUL character in the path or the query with a 400, before any query runs', async () => {
    const handler = vi.fn(async () => ({ people: [] }));
    const route = opsRoute(peopleResponse, handler);
    for (const url of ['http://127.0.0.1/api/ops/people?q=a%00b', 'http://127.0.0.1/api/ops/people/cus_%00']) {
      const response = await route(new Request(url, { headers: { authorization: 'Bearer ops-token-for-tests' } }), {
        params: Promise.resolve({}),
      });
      expect(response.status).toBe(400);
      expect(opsErrorResponse.parse(await response.json())).toEqual({
        error: 'The URL must not contain NUL characters (%00)',
      });
    }
    expect(handler).not.toHaveBeenCalled();
  });
});

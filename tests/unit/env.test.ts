import { afterEach, describe, expect, it } from 'vitest';
import { env, resetEnvCache } from '@/lib/env';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe('env', () => {
  it('starts with no variables set, on the embedded defaults', () => {
    process.env = { NODE_ENV: 'production' } as NodeJS.ProcessEnv;
    resetEnvCache();
    const e = env();
    expect(e.DATABASE_URL).toBe('file:./data/shop.db');
    expect(e.CONSENT_MODE).toBe('opt-out');
    expect(e.CDP_CLOCK).toBe('system');
    expect(e.appUrl).toBe('http://localhost:3000');
    expect(e.trackingStrict).toBe(false);
  });

  it('keeps an ingest spool of 64 MB, none on a serverless host (its disk dies with the instance) unless one is set', () => {
    const spool = (vars: Record<string, string>) => {
      process.env = { NODE_ENV: 'production', ...vars } as NodeJS.ProcessEnv;
      resetEnvCache();
      return env().spoolMaxBytes;
    };
    expect(spool({})).toBe(64 * 2 ** 20);
    expect(spool({ VERCEL: '1' })).toBe(0);
    expect(spool({ AWS_LAMBDA_FUNCTION_NAME: 'shop' })).toBe(0);
    expect(spool({ VERCEL: '1', CDP_SPOOL_MAX_BYTES: '1000000' })).toBe(1_000_000);
    expect(spool({ CDP_SPOOL_MAX_BYTES: '0' })).toBe(0);
  });

  it('names the variable when a value is invalid', () => {
    process.env = { CONSENT_MODE: 'sometimes' } as unknown as NodeJS.ProcessEnv;
    resetEnvCache();
    expect(() => env()).toThrow(/CONSENT_MODE/);
  });

  it('refuses a DATABASE_URL it cannot use with one clear message, without echoing the value', () => {
    for (const value of ['mysql://root:hunter2@db/shop', 'postgres:shop', 'https://example.test/db']) {
      process.env = { DATABASE_URL: value } as unknown as NodeJS.ProcessEnv;
      resetEnvCache();
      expect(() => env()).toThrow(/DATABASE_URL: .*(not supported|start with postgres:\/\/)/);
      expect(() => env()).not.toThrow(/hunter2/);
    }
  });

  it('refuses an APP_URL or CIO_API_HOST that is not http(s), which z.url() alone took (`localhost:3000`)', () => {
    const cases: [string, string][] = [
      ['APP_URL', 'localhost:3000'],
      ['APP_URL', 'ftp://shop.example.com'],
      ['CIO_API_HOST', 'localhost:4010'],
    ];
    for (const [name, value] of cases) {
      process.env = { [name]: value } as unknown as NodeJS.ProcessEnv;
      resetEnvCache();
      expect(() => env()).toThrow(new RegExp(`${name}: must be an http:// or https:// URL`));
    }
    process.env = { APP_URL: 'https://shop.example.com/' } as unknown as NodeJS.ProcessEnv;
    resetEnvCache();
    expect(env().appUrl).toBe('https://shop.example.com');
  });

  it('refuses CDP_SERVER_WRITE_KEY equal to the public key as a configuration error, so start-up stops with it', () => {
    process.env = {
      CDP_WRITE_KEY: 'the-same-key-0123456789',
      CDP_SERVER_WRITE_KEY: 'the-same-key-0123456789',
    } as unknown as NodeJS.ProcessEnv;
    resetEnvCache();
    // startPipelineOrExit (lib/cdp/runtime/start.ts) prints and exits only on an EnvError; any other error left a
    // stack trace and a server answering 500s.
    expect(() => env()).toThrow(
      expect.objectContaining({
        name: 'EnvError',
        message: expect.stringMatching(/CDP_SERVER_WRITE_KEY: must differ/),
      }),
    );
  });
});

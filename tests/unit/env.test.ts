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
});

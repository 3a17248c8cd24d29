import { beforeAll, beforeEach } from 'vitest';
import type { DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { freshDb } from '../support/database';

/** A storage suite's setup for orders: the secret order links are signed with, and a fresh database per test. */
export function freshOrderDb(use: (db: DB) => void) {
  beforeAll(() => {
    process.env.APP_SECRET = 'unit-test-secret-0123456789';
    resetEnvCache();
  });
  beforeEach(async () => use(await freshDb()));
}

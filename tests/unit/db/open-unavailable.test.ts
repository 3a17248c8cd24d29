import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db';
import { isDatabaseUnavailable } from '@/lib/db/unavailable';
import { freePortSync } from '../../../scripts/free-port.mjs';

describe('opening a database that is not answering', () => {
  it('fails as "not answering" (a 503 for the request that opened it), not as an unexpected error', async () => {
    // A port nobody listens on: PostgreSQL refusing connections while it starts, or a host still coming up.
    const url = `postgres://glowlab@127.0.0.1:${freePortSync()}/glowlab`;
    const error = await openDatabase(url, { timeouts: { connectMs: 2000, statementMs: 0 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

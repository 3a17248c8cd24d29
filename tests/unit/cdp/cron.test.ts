import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { handleCronTick } from '@/lib/cdp/ops/cron-route';
import { cronTickResponse } from '@/lib/cdp/ops/contract';
import { resetEnvCache } from '@/lib/env';
import { freshDatabaseUrl } from '../support/database';

const SECRET = 'cron-secret-0123456789';
const saved = { ...process.env };
beforeEach(async () => {
  process.env = { ...saved, DATABASE_URL: await freshDatabaseUrl(), CRON_SECRET: SECRET, CDP_CLOCK: 'system' };
  resetEnvCache();
  // getDb() keeps one handle per process; this file wants its own database.
  delete (globalThis as { __shopDb?: unknown }).__shopDb;
});
afterAll(() => {
  process.env = { ...saved };
  resetEnvCache();
  delete (globalThis as { __shopDb?: unknown }).__shopDb;
});

const tick = (method: 'GET' | 'POST', authorization?: string) =>
  handleCronTick(
    new Request('http://127.0.0.1/api/cron/tick', {
      method,
      headers: authorization ? { authorization } : {},
    }),
  );
const PIPELINE_JOBS = ['purge-anonymous', 'purge-rejections', 'journeys', 'forward-to-customerio'];
const ranIn = (jobs: Record<string, unknown>) =>
  PIPELINE_JOBS.filter((name) => !/already run in this tick/.test(JSON.stringify(jobs[name])));

describe('/api/cron/tick', () => {
  it('is off without CRON_SECRET, and refuses a missing or wrong token', async () => {
    delete process.env.CRON_SECRET;
    resetEnvCache();
    expect((await tick('GET', `Bearer ${SECRET}`)).status).toBe(404);
    process.env.CRON_SECRET = SECRET;
    resetEnvCache();
    for (const auth of [undefined, 'Bearer wrong-secret-0123456789', `Basic ${SECRET}`]) {
      const response = await tick('GET', auth);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'Send Authorization: Bearer <CRON_SECRET>' });
    }
  });

  it('runs every job once per tick however many calls arrive at once (Vercel Cron GET, other schedulers POST)', async () => {
    const responses = await Promise.all([tick('GET', `Bearer ${SECRET}`), tick('POST', `Bearer ${SECRET}`)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const [first = {}, second = {}] = await Promise.all(
      responses.map(async (r) => cronTickResponse.parse(await r.json()).jobs),
    );
    expect([...ranIn(first), ...ranIn(second)].toSorted()).toEqual(PIPELINE_JOBS.toSorted());
    const again = cronTickResponse.parse(await (await tick('GET', `Bearer ${SECRET}`)).json()).jobs;
    expect(ranIn(again)).toEqual([]);
  });
});

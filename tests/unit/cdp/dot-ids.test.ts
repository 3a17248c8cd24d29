import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { listRejections } from '@/lib/cdp/read/rejections';
import { getAnonymousActivity } from '@/lib/cdp/read/timeline';
import { track, ingestRouteSuite } from './support';

// The console and the ops API name a profile in the URL's path, where "." and ".." are "this folder" and "the one
// above": /api/ops/anonymous/.. is /api/ops (308), whatever the escaping (%2E%2E too). A stranger's calls under such
// an id were stored where no one could open them; they are refused now, as any malformed id.
const KEY = 'dot-ids-browser-key';
const route = ingestRouteSuite({ CDP_WRITE_KEY: KEY, CDP_RATE_LIMIT: 'off' });
let db: DB;
beforeAll(() => {
  db = route.db();
});

async function post(call: Record<string, unknown>, strict = false) {
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (strict) headers['x-strict-mode'] = '1';
  const body = JSON.stringify({ ...call, writeKey: KEY });
  const response = await handleIngest(new Request('http://127.0.0.1/api/cdp/v1/t', { method: 'POST', headers, body }), [
    't',
  ]);
  return { status: response.status, body: await response.json() };
}

describe('ids no URL can name', () => {
  it.each(['.', '..', ' .. '])('an anonymousId %j refuses its call, recorded with the reason', async (anonymousId) => {
    const answer = await post(track('Added to Cart', { anonymousId }));
    expect(answer).toMatchObject({ status: 200, body: { stored: 0, rejected: 1 } });
    expect((await getAnonymousActivity(db, anonymousId.trim())).events).toHaveLength(0);
    const [last] = (await listRejections(db, { limit: 1 })).rejections;
    expect(last).toMatchObject({
      reason: 'invalid',
      problems: [
        { path: 'anonymousId', message: 'anonymousId must not be a dot or two dots alone (no URL can name it)' },
      ],
    });
  });

  it('a userId ".." is refused too, with a 400 in strict mode', async () => {
    const answer = await post(track('Added to Cart', { userId: '..', anonymousId: 'a-dots' }), true);
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      { path: 'userId', message: 'userId must not be a dot or two dots alone (no URL can name it)' },
    ]);
  });

  it('ids that merely contain dots are ids like any other', async () => {
    for (const anonymousId of ['...', '.a', 'a..b'])
      expect((await post(track('Added to Cart', { anonymousId }))).body).toMatchObject({ stored: 1, rejected: 0 });
    expect((await getAnonymousActivity(db, '...')).events).toHaveLength(1);
  });
});

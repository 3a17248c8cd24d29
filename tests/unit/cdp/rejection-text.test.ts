import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { rejectedMessageId, safeText } from '@/lib/cdp/model/excerpt';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { listRejections } from '@/lib/cdp/read/rejections';
import { ingestRouteSuite } from './support';

// A refused call is recorded with its problems and messageId as sent (the console and GET /api/ops/rejections show
// them), but for what neither database stores as given: NUL and lone surrogates, written as escapes. The text was
// JSON-escaped whole before, so every quote read \" and every backslash \\.
describe('safeText', () => {
  it('keeps quotes, backslashes and pairs as sent, escapes NUL and lone surrogates, and cuts at max', () => {
    expect(safeText('expected "track", got \\d', 100)).toBe('expected "track", got \\d');
    expect(safeText('a\u0000b', 100)).toBe('a\\u0000b');
    expect(safeText('lone \ud800 and \udc00 here', 100)).toBe('lone \\ud800 and \\udc00 here');
    expect(safeText('emoji 😀 ok', 100)).toBe('emoji 😀 ok');
    // A pair the cut would halve goes whole; an escape never makes the text longer than max.
    expect(safeText('abc😀', 4)).toBe('abc');
    expect(safeText('\u0000\u0000', 8)).toBe('\\u0000\\u');
    expect(rejectedMessageId({ messageId: 'id-"1"' })).toBe('id-"1"');
  });
});

const KEY = 'rejection-text-browser-key';
const route = ingestRouteSuite({ CDP_WRITE_KEY: KEY, CDP_RATE_LIMIT: 'off' });
let db: DB;
beforeAll(() => {
  db = route.db();
});

it('a refused call is recorded with the problem as the validator said it, quotes and all', async () => {
  const body = JSON.stringify({
    writeKey: KEY,
    type: 'page',
    anonymousId: 'a',
    messageId: 'm-"q"',
  });
  const request = new Request('http://127.0.0.1/api/cdp/v1/t', {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body,
  });
  expect((await handleIngest(request, ['t'])).status).toBe(200);
  const [last] = (await listRejections(db, { limit: 1 })).rejections;
  expect(last).toMatchObject({
    message_id: 'm-"q"',
    problems: [{ path: 'type', message: 'This endpoint takes track calls: expected "track", got "page"' }],
  });
});

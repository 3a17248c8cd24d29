import { describe, expect, it } from 'vitest';
import { POST as moveClock } from '@/app/api/ops/clock/route';
import { clockMoveResponse } from '@/lib/cdp/ops/contract';
import { ingestRouteSuite } from './support';

// The ops API's commands (POST with a JSON body) read it alike (parseJsonBody in lib/cdp/ops/route.ts), as the
// ingest reads its bodies: UTF-8, one leading byte-order mark skipped, another charset a 415.
const TOKEN = 'ops-token-for-command-tests';
ingestRouteSuite({ CDP_CLOCK: 'manual', OPS_TOKEN: TOKEN });

type Route = (request: Request, ctx: { params: Promise<Record<string, never>> }) => Promise<Response>;
async function command(route: Route, path: string, body: string | Buffer, contentType = 'application/json') {
  const request = new Request(`http://127.0.0.1/api/ops/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const response = await route(request, { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as unknown };
}
const refused = (status: number, error: RegExp | string, problems?: unknown) => ({
  status,
  body: { error: typeof error === 'string' ? error : expect.stringMatching(error), ...(problems ? { problems } : {}) },
});

describe('ops command bodies', () => {
  it('are read as UTF-8: one leading byte-order mark is skipped, another charset is a 415', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"advance":"1m"}')]);
    const moved = await command(moveClock, 'clock', withBom);
    expect(moved.status).toBe(200);
    clockMoveResponse.parse(moved.body);

    expect(await command(moveClock, 'clock', '{}', 'application/json; charset=iso-8859-1')).toEqual(
      refused(415, /^Content-Type charset "iso-8859-1" is not supported: send the body as UTF-8/),
    );
  });

  it('say so of an empty body or one that is not an object, not "Invalid input: expected object"', async () => {
    expect(await command(moveClock, 'clock', '')).toEqual(refused(400, /^The body is empty: send a JSON object/));
    expect(await command(moveClock, 'clock', '["4h"]')).toEqual(refused(400, /^The body is not a JSON object/));
  });
});

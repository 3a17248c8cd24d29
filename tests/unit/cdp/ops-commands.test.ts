import { describe, expect, it } from 'vitest';
import { POST as moveClock } from '@/app/api/ops/clock/route';
import { POST as runJourneys } from '@/app/api/ops/journeys/run/route';
import { clockMoveResponse, journeyPassResponse, opsErrorResponse } from '@/lib/cdp/ops/contract';
import { ingestRouteSuite } from './support';

// The ops API's commands (POST with a JSON body) read it alike (parseJsonBody in lib/cdp/ops/route.ts), as the
// ingest reads its bodies: UTF-8, one leading byte-order mark skipped, another charset a 415. Broken JSON, a body
// that is not an object or a key the command does not take is a 400 saying so, never a command run as if its body
// had been read: POST /api/ops/journeys/run took any body, `{` included, and answered 200.
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

describe('POST /api/ops/journeys/run', () => {
  it('runs a pass for {} and answers what it did', async () => {
    const answer = await command(runJourneys, 'journeys/run', '{}');
    expect(answer.status).toBe(200);
    expect(journeyPassResponse.parse(answer.body)).toEqual({ processed: expect.any(Number), sent: 0 });
  });

  it.each([
    ['broken JSON', '{', refused(400, 'The body is not valid JSON')],
    ['no body', '', refused(400, /^The body is empty: send a JSON object/)],
    ['an array', '[]', refused(400, /^The body is not a JSON object/)],
    ['null', 'null', refused(400, /^The body is not a JSON object/)],
    [
      'an option it does not take',
      '{"advance":"4h"}',
      refused(400, 'Invalid request body', [{ path: '(body)', message: expect.stringContaining('"advance"') }]),
    ],
  ])('refuses %s with a 400 saying what is wrong', async (_, body, expected) => {
    const answer = await command(runJourneys, 'journeys/run', body);
    expect(answer).toEqual(expected);
    opsErrorResponse.parse(answer.body);
  });
});

describe('ops command bodies', () => {
  it('are read as UTF-8: one leading byte-order mark is skipped, another charset is a 415', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"advance":"1m"}')]);
    const moved = await command(moveClock, 'clock', withBom);
    expect(moved.status).toBe(200);
    clockMoveResponse.parse(moved.body);
    expect((await command(runJourneys, 'journeys/run', Buffer.from('\uFEFF{}'))).status).toBe(200);

    for (const [route, path] of [
      [moveClock, 'clock'],
      [runJourneys, 'journeys/run'],
    ] as const)
      expect(await command(route, path, '{}', 'application/json; charset=iso-8859-1')).toEqual(
        refused(415, /^Content-Type charset "iso-8859-1" is not supported: send the body as UTF-8/),
      );
  });

  it('refuse bytes that are not UTF-8 with a 400 naming the first, not a command run on U+FFFD', async () => {
    const latin1 = Buffer.from('{"advance":"1m", "x":"Caf\u00e9"}', 'latin1');
    expect(await command(moveClock, 'clock', latin1)).toEqual(
      refused(400, 'The body is not valid UTF-8 (byte 25): send its text as UTF-8'),
    );
  });

  it('say so of an empty body or one that is not an object, not "Invalid input: expected object"', async () => {
    expect(await command(moveClock, 'clock', '')).toEqual(refused(400, /^The body is empty: send a JSON object/));
    expect(await command(moveClock, 'clock', '["4h"]')).toEqual(refused(400, /^The body is not a JSON object/));
  });
});

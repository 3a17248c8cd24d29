import 'server-only';
import { SECOND } from '@/lib/common/duration';
import { processState } from '@/lib/common/process-state';
import { refusalKind } from '@/lib/common/refusal-pause';
import type { EventName, EventProps } from '@/lib/tracking/plan';
import type { ServerTracker } from '@/lib/tracking/server';
import type { OutboxSender } from './event-outbox';

/** Where the tracker sends (its batch URL) and the key it sends: for the refusal check. */
export type OutboxDestination = { url: string; writeKey: string };

/**
 * Sends through the shop's server tracker, the road every server event takes (plan check, server key, node SDK
 * with its own quick retries). With the stored ids only: no request's cookie or consent is read at send time
 * (consent was the request's, when the call was recorded), and no identity signature is handed out. With a
 * `destination`, a refused key or address pauses the outbox (refusalOf): checked before the process's first send
 * there (the ingest answers a wrong key 200 to the node SDK, which sends no X-Strict-Mode, and drops the call, so
 * the outbox would mark it sent), after a call the pipeline did not take, and before each send after a refusal
 * (a paused outbox's probe is then that one request).
 */
export const trackerSender =
  (tracker: ServerTracker, destination?: OutboxDestination): OutboxSender =>
  async (call) => {
    if (destination && !checked().has(keyOf(destination))) {
      const refused = await refusalOf(destination);
      if (refused) return refused;
    }
    const { userId, anonymousId, messageId, timestamp } = call;
    const result =
      call.type === 'track'
        ? await tracker.trackServerOnly(call.event as EventName, call.properties as EventProps<EventName>, {
            userId,
            anonymousId,
            messageId,
            timestamp,
          })
        : await tracker.identifyServer(call.userId, call.traits, { anonymousId, messageId, timestamp });
    if (!result.sent)
      return { error: 'The tracker refused it (tracking plan or ids: see the server log)', retry: false };
    if (await result.delivered) return true;
    return (
      (destination && (await refusalOf(destination))) || {
        error: 'The pipeline did not acknowledge it (unreachable, or it answered with an error)',
        retry: true,
      }
    );
  };

// Destinations this process has seen answer without refusing (on globalThis: the actions and the scheduler's job
// are bundled apart).
const state = processState<{ __shopOutboxChecked: Set<string> }>({ __shopOutboxChecked: null });
const checked = () => (state.__shopOutboxChecked ??= new Set());
const keyOf = ({ url, writeKey }: OutboxDestination) => `${url} ${writeKey}`;

const CHECK_TIMEOUT_MS = 5 * SECOND;

/**
 * The node SDK tells only that a call was not delivered (it retries a 401 as it does a 503). One request of nothing
 * (`{"batch":[]}`, which the ingest never stores) with the same key says whether the ingest refuses the request
 * itself: in strict mode (`X-Strict-Mode: 1`), where a wrong key is a 401, and not following a redirect. Null when
 * it is not that: unreachable, or an answer about the calls (the empty batch's 400), left to the row's backoff.
 */
async function refusalOf({ url, writeKey }: OutboxDestination): Promise<{ error: string; refused: number } | null> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
        'X-Strict-Mode': '1',
      },
      body: '{"batch":[]}',
      redirect: 'manual',
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
  } catch {
    return null; // unreachable: nothing known about the key, checked again next time
  }
  await response.body?.cancel().catch(() => undefined);
  const refused = refusal(url, response);
  if (refused) checked().delete(keyOf({ url, writeKey }));
  else checked().add(keyOf({ url, writeKey }));
  return refused;
}

/**
 * A request refused as a whole (refusalKind): its status and what to fix, or null for any other answer. A web page
 * answered 2xx (a site or captive portal at a wrong APP_URL) is no ingest either: the SDK would count its calls sent.
 */
function refusal(url: string, response: Response): { error: string; refused: number } | null {
  const { status } = response;
  const page = response.ok && !!response.headers.get('content-type')?.includes('html');
  const kind = page ? 'address' : refusalKind(status);
  if (!kind) return null;
  const answered = `The pipeline at ${url} answered ${status} ${response.statusText}${page ? ', a web page' : ''}`;
  const location = response.headers.get('location')?.slice(0, 500);
  const why = {
    redirect: `, a redirect${location ? ` to ${location}` : ''}: set APP_URL to the address that answers`,
    key:
      ": it refused the server write key. Set CDP_SERVER_WRITE_KEY to the pipeline's (the same on every instance), " +
      'or let the shop through whatever guards APP_URL',
    proxy: ': a proxy on the way wants credentials',
    address: ': no ingest there; check APP_URL',
  }[kind];
  return { refused: status, error: `${answered}${why}` };
}

import 'server-only';
import { SECOND } from '@/lib/common/duration';
import { env } from '@/lib/env';
import { retryAfterMs } from '@/lib/common/backoff';
import { refusalKind, type RefusalKind } from '@/lib/common/refusal-pause';
import { batchBody } from './batches';

const HOSTS = { us: 'https://cdp.customer.io', eu: 'https://cdp-eu.customer.io' } as const;
const TIMEOUT_MS = 10 * SECOND;
/** How much of an error answer is kept for the console. */
const MAX_ERROR_TEXT = 500;

/** `timeoutMs`: how long a request may take before it counts as failed (tests shorten it). */
export type ForwardTarget = { url: string; writeKey: string; timeoutMs?: number };

/** Where proxy mode forwards to, or null when CIO_WRITE_KEY is not set. */
export function forwardTarget(): ForwardTarget | null {
  const e = env();
  if (!e.CIO_WRITE_KEY) return null;
  const host = (e.CIO_API_HOST ?? HOSTS[e.CIO_REGION]).replace(/\/$/, '');
  return { url: `${host}/v1/batch`, writeKey: e.CIO_WRITE_KEY };
}

/**
 * `retry`: worth trying again (network failure, timeout, 408, 429, 5xx), after `retryAfter` ms when the upstream
 * said so. `refused` (the status): the upstream refused the request itself, not its calls (refusalKind: the key,
 * the address, a redirect): no call is at fault, so none is failed; forwarding pauses until a probe gets through (pause.ts).
 * Otherwise the upstream refused the content. `split` when it may be one bad call among good ones: refused (400,
 * 413), so the batch is retried in halves and only the bad call is dead-lettered; or a 500, an error of a server
 * that read the calls, which one call may cause every time (pass.ts halves such a batch once it has failed
 * twice). A timeout, a refused connection, 502, 503 and 504 say the service or its route is down.
 */
export type PostOutcome =
  | { ok: true }
  | { ok: false; retry: true; retryAfter: number | null; split: boolean; error: string }
  | { ok: false; retry: false; split: boolean; error: string }
  | { ok: false; retry: false; split: false; refused: number; error: string };

/** What to fix for a request Customer.io refused as a whole (refusalKind), after its own answer. */
const FIX_FOR: Record<Exclude<RefusalKind, 'redirect'>, string> = {
  proxy: 'a proxy between here and Customer.io wants credentials',
  key: 'check CIO_WRITE_KEY, and CIO_REGION: a key of the other region is refused too',
  address: 'check CIO_API_HOST and CIO_REGION',
};

/** How long a request may take before it counts as failed. */
export const requestTimeoutMs = (target: ForwardTarget) => target.timeoutMs ?? TIMEOUT_MS;

/**
 * POSTs calls as one batch, the way the node SDK does (`{batch}`, Basic auth with the write key), plus
 * `X-Strict-Mode: 1`: without it Customer.io answers 200 to a wrong key or an invalid call and drops it, and the
 * queue would mark as sent what never arrived. `cancel` (a stopping server abandoning the pass) aborts the request
 * and rejects with its reason: no outcome, the rows are handed back as they were.
 */
export async function postBatch(
  target: ForwardTarget,
  payloads: readonly string[],
  nowMs: number,
  cancel?: AbortSignal,
): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(requestTimeoutMs(target));
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${target.writeKey}:`).toString('base64')}`,
        'X-Strict-Mode': '1',
      },
      body: batchBody(payloads),
      // Never followed: fetch turns a 301/302/303 into a GET without the calls, and a 200 to that GET (a landing
      // page) would mark as sent what never arrived. A redirect is a wrong CIO_API_HOST: refused below.
      redirect: 'manual',
      signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout,
    });
  } catch (error) {
    cancel?.throwIfAborted();
    const why =
      (error as Error).name === 'TimeoutError' ? `no answer within ${requestTimeoutMs(target)} ms` : reason(error);
    return { ok: false, retry: true, retryAfter: null, split: false, error: `Could not reach ${target.url}: ${why}` };
  }
  const status = response.status;
  // A web page is never the batch API's answer, whatever its status: a 2xx one (a captive portal, a site at a wrong
  // CIO_API_HOST) counted as delivered would lose its calls without a word, so it refuses the address (pause.ts).
  const page = response.headers.get('content-type')?.includes('html');
  if (response.ok) {
    await response.body?.cancel();
    if (!page) return { ok: true };
    const error = `Customer.io answered ${status} ${response.statusText}: a web page, not the batch API's answer`;
    return { ok: false, retry: false, split: false, refused: status, error: `${error} (${FIX_FOR.address})` };
  }
  const refused = refusalKind(status);
  if (refused === 'redirect') {
    await response.body?.cancel();
    const location = response.headers.get('location')?.slice(0, MAX_ERROR_TEXT);
    return {
      ok: false,
      retry: false,
      split: false,
      refused: status,
      error:
        `Customer.io answered ${status} ${response.statusText}, a redirect${location ? ` to ${location}` : ''}: ` +
        'calls are not sent on to another address; set CIO_API_HOST to the address that answers',
    };
  }
  // A web page (a wrong host's 404, a proxy's sign-in page) is markup no one reads in the console or the log.
  const answer = page ? 'a web page' : (await response.text().catch(() => '')).slice(0, MAX_ERROR_TEXT);
  if (page) await response.body?.cancel();
  const error = `Customer.io answered ${status} ${response.statusText}${answer ? `: ${answer}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), nowMs);
    return { ok: false, retry: true, retryAfter, split: status === 500 && retryAfter === null, error };
  }
  if (refused)
    return { ok: false, retry: false, split: false, refused: status, error: `${error} (${FIX_FOR[refused]})` };
  return { ok: false, retry: false, split: status === 400 || status === 413, error };
}

const reason = (error: unknown) => {
  const e = error as Error & { cause?: { code?: string } };
  return e.cause?.code ?? e.message;
};

import 'server-only';
import { getDb } from '@/lib/db';
import { isDatabaseUnavailable } from '@/lib/db/unavailable';
import { env } from '@/lib/env';
import { receiveTime } from '@/lib/cdp/store/clock';
import { forwardTarget, kickForwarder } from '@/lib/cdp/forward/deliver';
import { clientAddress } from '@/lib/common/client-address';
import type { RequestView } from '@/lib/common/request-body';
import { errorAnswer, HttpError, toResponse, type Answer } from '@/lib/common/http';
import { serverWriteKey } from '@/lib/common/secrets';
import { corsHeaders, originNotAllowed } from '@/lib/cdp/ingest/cors';
import { verifyIdentityCalls } from '@/lib/cdp/ingest/verify-identity';
import { storeDurably } from '@/lib/cdp/runtime/spool-drain';
import { IngestRefusal, parseIngestRequest, sentWithServerKey } from '@/lib/cdp/ingest/parse-request';
import { ingestRateLimit, rateLimited, REFUSED_REQUEST_CALLS } from '@/lib/cdp/ingest/rate-limit';
import { recordRejections } from '@/lib/cdp/store/rejections';

/**
 * POST /api/cdp/v1/{t,i,p,s,g,a,b,batch} and Customer.io's names (/track, /identify, /page, /screen, /group, /alias):
 * validate, store in one transaction, answer 200 after the commit. Permissive like Customer.io: refused calls (and
 * a wrong key) are recorded with their reason and counted in `rejected`; `X-Strict-Mode: 1` answers them with
 * Customer.io's 400/401 (413 for a call over 32 KB) and stores nothing, recording the refusals all the same.
 * Calls without the server key count against the client's address (ingest/rate-limit.ts): past CDP_RATE_LIMIT, 429.
 */
export async function handleIngest(request: RequestView, path: readonly string[]): Promise<Response> {
  return toResponse(await ingestAnswer(request, path));
}

/**
 * handleIngest's answer before it is a Response: what the ingest fast path (scripts/serve.mjs) writes to node's
 * response itself. `request`: the route's Web Request, or the fast path's lighter view of a node request.
 */
export async function ingestAnswer(request: RequestView, path: readonly string[]): Promise<Answer> {
  const cors = corsHeaders(request);
  if (!cors) return originNotAllowed(request);
  const endpoint = path.join('/');
  try {
    const keys = { browser: env().CDP_WRITE_KEY, server: serverWriteKey() };
    // Before the body is read: an address over its limit costs no parsing and no write.
    const limit = sentWithServerKey(request, keys) ? null : ingestRateLimit();
    const address = clientAddress(request.headers);
    const tooMany = (wait: number) => (wait ? rateLimited(wait, env().CDP_RATE_LIMIT, cors) : null);
    const early = tooMany((await limit?.admitRequest(address)) ?? 0);
    if (early) return early;
    // A database that has not opened (the server started while it was down) is met as one that stops answering
    // later: the request goes to the spool (storeDurably), not a 503 that the browser SDK would drop.
    const db = await getDb().catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) return null;
      throw error;
    });
    const receivedAt = await receiveTime(db);
    const wallReceivedAt = env().CDP_CLOCK === 'manual' ? new Date() : receivedAt;
    let counted = false;
    try {
      const { messages, rejected, trusted, strict, batchIndexes } = await parseIngestRequest(request, path, keys);
      const count = messages.length + rejected.length;
      // Counted before the write, so concurrent requests from one address see each other's calls.
      const over = tooMany((!trusted && (await limit?.admitCalls(address, count))) || 0);
      if (over) return over;
      counted = true;
      const verified = await verifyIdentityCalls(messages, {
        trusted,
        serverWriteKey: keys.server,
        now: wallReceivedAt,
      });
      // Stored, or kept in the spool while the database is not answering (both ways in come through here).
      const result = await storeDurably(db, verified, {
        receivedAt,
        wallReceivedAt,
        trusted,
        local: env().CDP_LOCAL === 'on',
        forward: forwardTarget() !== null,
        strict,
        rejected,
        endpoint,
        batchIndexes,
        clientIp: forwardedClientIp(request, trusted),
      });
      // Forward right away rather than on the next scheduler tick; failures are retried by the scheduler.
      if (result.forwarded && db) kickForwarder(db);
      return { status: 200, headers: cors, body: { success: true, ...result } };
    } catch (error) {
      if (error instanceof IngestRefusal) {
        const over = !counted && tooMany((await limit?.admitCalls(address, error.rejected.length)) ?? 0);
        if (over) return over;
        await recordRejections(db ?? (await getDb()), error.rejected, { endpoint, receivedAt, strict: true });
      } else if (error instanceof HttpError && (error.status === 400 || error.status === 413) && !counted) {
        // Refused whole once its body was read (too large, too deep, not JSON …): answered as such, and charged as
        // a full body of calls, so refused bodies cannot keep one address's CPU busy (rate-limit.ts).
        await limit?.admitCalls(address, REFUSED_REQUEST_CALLS);
      }
      throw error;
    }
  } catch (error) {
    return errorAnswer(error, cors);
  }
}

/** CORS preflight: the browser SDK sends text/plain (no preflight), but other clients may send JSON. */
export function handlePreflight(request: RequestView): Response {
  return toResponse(preflightAnswer(request));
}

/** handlePreflight's answer before it is a Response (see ingestAnswer). */
export function preflightAnswer(request: RequestView): Answer {
  const cors = corsHeaders(request);
  return cors ? { status: 204, headers: cors } : originNotAllowed(request);
}

/**
 * The address a browser call came from, for Customer.io's `context.ip` (its geolocation), read as the login rate
 * limit reads it (X-Forwarded-For only behind TRUST_PROXY). Not for server calls: that address is the shop's
 * server, not the shopper's. CDP_FORWARD_IP=off keeps addresses out of Customer.io.
 */
function forwardedClientIp(request: RequestView, trusted: boolean): string | null {
  if (trusted || env().CDP_FORWARD_IP === 'off') return null;
  const address = clientAddress(request.headers);
  return address === 'unknown' ? null : address;
}

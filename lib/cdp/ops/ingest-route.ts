import 'server-only';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { now } from '@/lib/cdp/store/clock';
import { forwardTarget, kickForwarder } from '@/lib/cdp/forward/deliver';
import { clientAddress } from '@/lib/common/client-address';
import { errorResponse } from '@/lib/common/http';
import { serverWriteKey } from '@/lib/common/secrets';
import { corsHeaders, originNotAllowed } from '@/lib/cdp/ingest/cors';
import { ingestBatch } from '@/lib/cdp/ingest/handle';
import { parseIngestRequest } from '@/lib/cdp/ingest/parse-request';

/** POST /api/cdp/v1/{t,i,p,s,g,a,b,batch}: validate, store in one transaction, answer 200 after the commit. */
export async function handleIngest(request: Request, path: readonly string[]): Promise<Response> {
  const cors = corsHeaders(request);
  if (!cors) return originNotAllowed(request);
  try {
    const db = await getDb();
    const receivedAt = await now(db);
    const wallReceivedAt = env().CDP_CLOCK === 'manual' ? new Date() : receivedAt;
    const keys = { browser: env().CDP_WRITE_KEY, server: serverWriteKey() };
    const { messages, trusted } = await parseIngestRequest(request, path, keys);
    const result = await ingestBatch(db, messages, {
      receivedAt,
      wallReceivedAt,
      trusted,
      serverWriteKey: keys.server,
      local: env().CDP_LOCAL === 'on',
      forward: forwardTarget() !== null,
      clientIp: forwardedClientIp(request, trusted),
    });
    // Forward right away rather than on the next scheduler tick; failures are retried by the scheduler.
    if (result.forwarded) kickForwarder(db);
    return Response.json({ success: true, ...result }, { headers: cors });
  } catch (error) {
    return errorResponse(error, cors);
  }
}

/** CORS preflight: the browser SDK sends text/plain (no preflight), but other clients may send JSON. */
export function handlePreflight(request: Request): Response {
  const cors = corsHeaders(request);
  if (!cors) return originNotAllowed(request);
  return new Response(null, { status: 204, headers: cors });
}

/**
 * The address a browser call came from, for Customer.io's `context.ip` (its geolocation), read as the login rate
 * limit reads it (X-Forwarded-For only behind TRUST_PROXY). Not for server calls: that address is the shop's
 * server, not the shopper's. CDP_FORWARD_IP=off keeps addresses out of Customer.io.
 */
function forwardedClientIp(request: Request, trusted: boolean): string | null {
  if (trusted || env().CDP_FORWARD_IP === 'off') return null;
  const address = clientAddress(request.headers);
  return address === 'unknown' ? null : address;
}

import { z } from 'zod';
import { forwardingPause, forwardingState, opsRoute, parseQuery, type ForwardPause } from '@/lib/cdp';
import { forwardingResponse, limitParam } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = z.object({
  limit: limitParam(100, 500),
});

const iso = (ms: number) => new Date(ms).toISOString();

/** The forwarder's pause as the API shows it (ISO times; a refusal's next probe as `next_try_at`). */
function pauseView(pause: ForwardPause | null): z.input<typeof forwardingResponse>['paused'] {
  if (!pause) return null;
  if (pause.kind === 'retry-after') return { kind: 'retry-after', until: iso(pause.until) };
  const { kind, headline, status, error, refusals } = pause;
  return {
    kind,
    headline,
    status,
    error,
    since: iso(pause.since),
    at: iso(pause.at),
    next_try_at: iso(pause.until),
    refusals,
  };
}

export const GET = opsRoute(forwardingResponse, async ({ request, db }) => {
  const state = await forwardingState(db, parseQuery(request, query).limit);
  // Only while forwarding is on, as the console's notice (a pause left from before is not this setting's).
  return { ...state, paused: pauseView(state.target ? forwardingPause() : null) };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');

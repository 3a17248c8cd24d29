import type { ShopEventsState } from '@/lib/cdp/ops/contract';
import { EmptyState } from './empty-state';
import { ForwardQueueTable } from './forward-queue-table';
import { ReplayButton } from './replay-button';
import { Section } from './section';
import { TimeStamp } from './time-stamp';

const REPLAY = '/api/ops/shop-events/replay';

/**
 * The shop's own outbox (GET /api/ops/shop-events): every call its server makes (Order Completed, identifies, cart
 * and checkout mirrors, unsubscriptions) is written there and sent to the pipeline until it acknowledges it, so an
 * outage of the pipeline shows here as waiting rows, not lost calls; dead letters can be replayed.
 */
export function ShopEventsSection({ state }: { state: ShopEventsState }) {
  const { counts } = state;
  return (
    <Section id="shop-events" title="The shop's server calls to the pipeline">
      <p className="mb-3 text-sm text-stone-600">
        Orders, identifies, cart and checkout events, unsubscriptions: {counts.pending} waiting, {counts.dead} dead
        after a day of retries, {counts.sent} delivered.
        {state.oldest_pending_at ? (
          <>
            {' '}
            Oldest waiting since <TimeStamp iso={state.oldest_pending_at} />.
          </>
        ) : null}
      </p>
      {state.paused ? <OutboxPauseNotice pause={state.paused} waiting={counts.pending} /> : null}
      {state.failing.length ? (
        <>
          {counts.dead ? (
            <div className="mb-3">
              <ReplayButton
                endpoint={REPLAY}
                label={`Replay all ${counts.dead}`}
                name={`Replay all ${counts.dead} dead server calls`}
              />
            </div>
          ) : null}
          <ForwardQueueTable
            rows={state.failing}
            caption="Calls the pipeline has not acknowledged yet, newest first"
            replay={REPLAY}
          />
        </>
      ) : state.paused ? null : (
        <EmptyState title="Nothing failing">Every call the shop recorded was delivered or is on its way.</EmptyState>
      )}
    </Section>
  );
}

/**
 * The outbox held on this instance (lib/shop/server/outbox-pause.ts): the pipeline refused the server write key or
 * the address. Calls wait and none is failed, so the failing rows do not say it: this does.
 */
function OutboxPauseNotice({ pause, waiting }: { pause: NonNullable<ShopEventsState['paused']>; waiting: number }) {
  return (
    <div role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p>
        <strong>Paused: the pipeline refused the shop&apos;s server calls ({pause.status})</strong> at{' '}
        <TimeStamp iso={pause.since} />
        {pause.refusals > 1 ? (
          <>
            , refused {pause.refusals} times, last at <TimeStamp iso={pause.at} />
          </>
        ) : null}
        ; next try at <TimeStamp iso={pause.next_try_at} />; {waiting} {waiting === 1 ? 'call' : 'calls'} waiting.
      </p>
      <p className="mt-1 font-mono text-xs break-words">{pause.error}</p>
      <p className="mt-1">
        No call is failed for it. Fix the setting and restart to send them at once, or let the next try find it fixed.
        This instance&apos;s state: another instance pauses on its own first refusal.
      </p>
    </div>
  );
}

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
      ) : (
        <EmptyState title="Nothing failing">Every call the shop recorded was delivered or is on its way.</EmptyState>
      )}
    </Section>
  );
}

import { EmptyState } from '@/components/ops/empty-state';
import { IngestSpoolSection } from '@/components/ops/ingest-spool-section';
import { ForwardPauseNotice, ForwardQueueTable } from '@/components/ops/forward-queue-table';
import { PageHeader } from '@/components/ops/page-header';
import { ReplayButton } from '@/components/ops/replay-button';
import { Section } from '@/components/ops/section';
import { ShopEventsSection } from '@/components/ops/shop-events-section';
import { TimeStamp } from '@/components/ops/time-stamp';
import { forwardingPause, forwardingState, ingestSpoolState, openConsole } from '@/lib/cdp';
import { shopEventOutboxState } from '@/lib/shop/server/event-outbox';

export const metadata = { title: 'Forwarding · Ops console' };

const FORWARD_REPLAY = '/api/ops/forwarding/replay';

export default async function OpsForwardingPage() {
  const db = await openConsole();
  const state = await forwardingState(db);
  const shopEvents = await shopEventOutboxState(db);
  const spool = await ingestSpoolState();
  const pause = state.target ? forwardingPause() : null;
  const { counts } = state;
  return (
    <>
      <PageHeader title="Forwarding to Customer.io">
        {state.target ? (
          <>
            Accepted calls go to <code className="font-mono">{state.target}</code>, retried for 24 hours; what still
            fails, or a call Customer.io refuses, waits in the dead-letter list below until you replay it. A write key
            or address it refuses pauses forwarding instead: the calls wait, and go once a try gets through.
          </>
        ) : (
          <>Proxy mode is off: set CIO_WRITE_KEY to forward accepted calls to Customer.io.</>
        )}
      </PageHeader>
      {pause ? <ForwardPauseNotice pause={pause} waiting={counts.pending} /> : null}
      <dl className="mb-8 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {(
          [
            ['Waiting to send', counts.pending],
            ['Dead letters', counts.dead],
            ['Held (unverified identity)', counts.held],
            ['Sent, kept for dedupe', counts.sent],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="rounded-lg border border-stone-200 bg-white p-4">
            <dt className="text-xs text-stone-500">{label}</dt>
            <dd className="text-2xl font-semibold text-stone-900 tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {state.last_error ? (
        <p role="alert" className="mb-8 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          Last error: {state.last_error}
        </p>
      ) : null}
      <Section id="dead" title={`Dead letters (${counts.dead})`}>
        {state.dead.length ? (
          <>
            <div className="mb-3">
              <ReplayButton endpoint={FORWARD_REPLAY} label={`Replay all ${counts.dead}`} />
            </div>
            <ForwardQueueTable
              rows={state.dead}
              caption="Calls Customer.io did not accept, newest first"
              replay={FORWARD_REPLAY}
            />
          </>
        ) : (
          <EmptyState title="No dead letters">Every call was delivered or is still being retried.</EmptyState>
        )}
      </Section>
      <Section id="retrying" title="Retrying">
        {state.retrying.length ? (
          <>
            {state.oldest_pending_at ? (
              <p className="mb-3 text-sm text-stone-600">
                Oldest waiting call queued <TimeStamp iso={state.oldest_pending_at} />.
              </p>
            ) : null}
            <ForwardQueueTable
              rows={state.retrying}
              caption="Calls in backoff after a failed attempt, oldest first"
              replay={false}
            />
          </>
        ) : (
          <EmptyState title="Nothing in backoff">No call is waiting for another attempt.</EmptyState>
        )}
      </Section>
      <ShopEventsSection state={shopEvents} />
      <IngestSpoolSection spool={spool} />
    </>
  );
}

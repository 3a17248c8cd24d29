import { JourneyComparisonChart } from '@/components/ops/journey-comparison-chart';
import { JourneysTable } from '@/components/ops/journeys-table';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { RecoveredOrders } from '@/components/ops/recovered-orders';
import { RunsTable } from '@/components/ops/runs-table';
import { Section } from '@/components/ops/section';
import { journeySummaries, openConsole, orFirstPage, recentRuns, recoveredOrders } from '@/lib/cdp';
import { env } from '@/lib/env';

export const metadata = { title: 'Journeys · Ops console' };

export default async function OpsJourneysPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const db = await openConsole();
  const { cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  const live = env().CART_RECOVERY_STRATEGY;
  const [journeys, runs, recovered] = await Promise.all([
    journeySummaries(db, live),
    orFirstPage((c) => recentRuns(db, { cursor: c, limit: 50 }), cursor),
    recoveredOrders(db, { limit: 20 }),
  ]);
  const strategies = journeys.filter((j) => j.group === 'cart-recovery');
  return (
    <>
      <PageHeader title="Journeys">
        Cart recovery runs three strategies on the same traffic: <strong>{live}</strong> is live
        (CART_RECOVERY_STRATEGY), the others run in shadow — counted, never sent.
      </PageHeader>
      <Section id="compare" title="Cart recovery strategies compared">
        <JourneyComparisonChart strategies={strategies} />
      </Section>
      <div className="mb-8">
        <RecoveredOrders recovered={recovered} />
      </div>
      <Section id="all" title="All journeys">
        <JourneysTable journeys={journeys} />
      </Section>
      <Section id="runs" title="Recent runs" className="">
        <RunsTable runs={runs.items} />
        <PageLinks nextCursor={runs.next_cursor} cursor={cursor} anchor="runs" label="Older runs" />
      </Section>
    </>
  );
}

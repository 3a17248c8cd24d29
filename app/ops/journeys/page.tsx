import { JourneyComparisonChart } from '@/components/ops/journey-comparison-chart';
import { JourneysTable } from '@/components/ops/journeys-table';
import { PageHeader } from '@/components/ops/page-header';
import { RecoveredOrders } from '@/components/ops/recovered-orders';
import { RunsTable } from '@/components/ops/runs-table';
import { journeySummaries, recentRuns, recoveredOrders } from '@/lib/cdp/journeys/report';
import { requireOpsSession } from '@/lib/cdp/ops-auth';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';

export const metadata = { title: 'Journeys · Ops console' };

export default async function OpsJourneysPage() {
  await requireOpsSession();
  const db = await getDb();
  const live = env().CART_RECOVERY_STRATEGY;
  const [journeys, runs, recovered] = await Promise.all([journeySummaries(db, live), recentRuns(db, { limit: 50 }), recoveredOrders(db)]);
  const strategies = journeys.filter((j) => j.group === 'cart-recovery');
  return (
    <>
      <PageHeader title="Journeys">
        Cart recovery runs three strategies on the same traffic: <strong>{live}</strong> is live (CART_RECOVERY_STRATEGY), the others run in
        shadow — counted, never sent.
      </PageHeader>
      <section aria-labelledby="compare-heading" className="mb-8">
        <h2 id="compare-heading" className="mb-3 text-lg font-semibold text-stone-900">
          Cart recovery strategies compared
        </h2>
        <JourneyComparisonChart strategies={strategies} />
      </section>
      <div className="mb-8">
        <RecoveredOrders orders={recovered} />
      </div>
      <section aria-labelledby="all-heading" className="mb-8">
        <h2 id="all-heading" className="mb-3 text-lg font-semibold text-stone-900">
          All journeys
        </h2>
        <JourneysTable journeys={journeys} />
      </section>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="mb-3 text-lg font-semibold text-stone-900">
          Recent runs
        </h2>
        <RunsTable runs={runs} />
      </section>
    </>
  );
}

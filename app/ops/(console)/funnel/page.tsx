import { EmptyState } from '@/components/ops/empty-state';
import { FunnelChart } from '@/components/ops/funnel-chart';
import { PageHeader } from '@/components/ops/page-header';
import { funnel, openConsole } from '@/lib/cdp';

export const metadata = { title: 'Funnel · Ops console' };

export default async function OpsFunnelPage() {
  const steps = await funnel(await openConsole());
  return (
    <>
      <PageHeader title="Funnel">
        Profiles reaching each step, split by whether they took it anonymously. The anonymous share is the intent
        stitching keeps.
      </PageHeader>
      {steps.some((s) => s.profiles > 0) ? (
        <FunnelChart steps={steps} />
      ) : (
        <EmptyState title="No shopping yet">Browse the shop: product views arrive here first.</EmptyState>
      )}
    </>
  );
}

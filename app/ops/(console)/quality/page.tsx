import { PageHeader } from '@/components/ops/page-header';
import { QualityTable } from '@/components/ops/quality-table';
import { RejectionsTable } from '@/components/ops/rejections-table';
import { Section } from '@/components/ops/section';
import { listRejections, openConsole, qualityReport } from '@/lib/cdp';

export const metadata = { title: 'Data quality · Ops console' };

export default async function OpsQualityPage() {
  const db = await openConsole();
  const [rows, refused] = await Promise.all([qualityReport(db), listRejections(db, { limit: 50 })]);
  const drifted = rows.filter((r) => r.canonical_name !== null && r.canonical_name !== r.name);
  return (
    <>
      <PageHeader title="Data quality">
        Every event is checked against the tracking plan (<code>lib/tracking/plan.ts</code>). Violations are stored and
        reported here, never rejected. Calls the ingest refused (a wrong key, an invalid envelope) are answered 200, as
        Customer.io does, and listed below with the reason for 30 days.
      </PageHeader>
      {drifted.length ? (
        <section
          aria-labelledby="drift-heading"
          className="mb-6 rounded-lg border border-red-200 bg-red-50 p-4 text-sm"
        >
          <h2 id="drift-heading" className="font-semibold text-red-900">
            Drifted names
          </h2>
          <ul className="mt-1 list-inside list-disc text-red-900">
            {drifted.map((r) => (
              <li key={r.name}>
                “{r.name}” ({r.count}) should be sent as “{r.canonical_name}”
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <QualityTable rows={rows} />
      <Section id="rejections" title={`Refused calls (${refused.total})`} className="mt-8">
        <RejectionsTable rows={refused.rejections} />
      </Section>
    </>
  );
}

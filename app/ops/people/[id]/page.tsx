import { notFound, redirect } from 'next/navigation';
import { JsonDetails } from '@/components/ops/json-details';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { PersonIdentities } from '@/components/ops/person-identities';
import { Section } from '@/components/ops/section';
import { deviceLabels, Timeline } from '@/components/ops/timeline';
import {
  getPerson,
  openConsole,
  orFirstPage,
  resolvePersonId,
  timelineCounts,
  timelineDevices,
  timelinePage,
} from '@/lib/cdp';
import { decodeParam } from '@/lib/common/http';

export const metadata = { title: 'Person · Ops console' };

const PAGE_SIZE = 200;

export default async function OpsPersonPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const db = await openConsole();
  const id = decodeParam((await params).id);
  const { cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  const person = await getPerson(db, id);
  if (!person) {
    const mergedInto = await resolvePersonId(db, id);
    if (mergedInto !== id) redirect(`/ops/people/${encodeURIComponent(mergedInto)}`);
    notFound();
  }
  const [page, counts, devices] = await Promise.all([
    orFirstPage((c) => timelinePage(db, id, { cursor: c, limit: PAGE_SIZE }), cursor),
    timelineCounts(db, id),
    timelineDevices(db, id).then(deviceLabels),
  ]);
  return (
    <>
      <PageHeader title={person.email ?? person.id}>
        <span className="font-mono">{person.id}</span> · {counts.events} events, {counts.stitched} stitched from
        anonymous sessions
      </PageHeader>
      <PersonIdentities person={person} devices={devices} />
      <JsonDetails label="Traits" value={person.traits} />
      <Section id="timeline" title="Stitched timeline" className="mt-8">
        <Timeline events={page.items} devices={devices} emptyText="This person has no events." />
        <PageLinks nextCursor={page.next_cursor} cursor={cursor} anchor="timeline" label={`Next ${PAGE_SIZE} events`} />
      </Section>
    </>
  );
}

import { notFound, redirect } from 'next/navigation';
import { JsonDetails } from '@/components/ops/json-details';
import { PageHeader } from '@/components/ops/page-header';
import { PersonIdentities } from '@/components/ops/person-identities';
import { Section } from '@/components/ops/section';
import { deviceLabels, Timeline } from '@/components/ops/timeline';
import { getPerson, getTimeline, openConsole, resolvePersonId } from '@/lib/cdp';
import { decodeParam } from '@/lib/common/http';

export const metadata = { title: 'Person · Ops console' };

export default async function OpsPersonPage({ params }: { params: Promise<{ id: string }> }) {
  const db = await openConsole();
  const id = decodeParam((await params).id);
  const person = await getPerson(db, id);
  if (!person) {
    const mergedInto = await resolvePersonId(db, id);
    if (mergedInto !== id) redirect(`/ops/people/${encodeURIComponent(mergedInto)}`);
    notFound();
  }
  const events = await getTimeline(db, id);
  const stitched = events.filter((e) => e.stitched).length;
  return (
    <>
      <PageHeader title={person.email ?? person.id}>
        <span className="font-mono">{person.id}</span> · {events.length} events, {stitched} stitched from anonymous
        sessions
      </PageHeader>
      <PersonIdentities person={person} devices={deviceLabels(events)} />
      <JsonDetails label="Traits" value={person.traits} />
      <Section id="timeline" title="Stitched timeline" className="mt-8">
        <Timeline events={events} emptyText="This person has no events." />
      </Section>
    </>
  );
}

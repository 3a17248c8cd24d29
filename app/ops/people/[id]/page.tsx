import { Suspense } from 'react';
import { notFound, redirect } from 'next/navigation';
import { EmptyState } from '@/components/ops/empty-state';
import { JsonDetails } from '@/components/ops/json-details';
import { LoadingSkeleton } from '@/components/ops/loading-skeleton';
import { OutboxTable } from '@/components/ops/outbox-table';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { PersonIdentities } from '@/components/ops/person-identities';
import { RunsTable } from '@/components/ops/runs-table';
import { Section } from '@/components/ops/section';
import { deviceLabels, Timeline } from '@/components/ops/timeline';
import {
  getPerson,
  listOutbox,
  openConsole,
  orFirstPage,
  recentRuns,
  resolvePersonId,
  timelineCounts,
  timelineDevices,
  timelinePage,
} from '@/lib/cdp';
import { storedIdParam } from '@/lib/common/http';

export const metadata = { title: 'Person · Ops console' };

const PAGE_SIZE = 200;
/** The latest runs and messages shown; the journeys and outbox APIs page through all (`?person=`). */
const RECENT = 50;

type ConsoleDb = Awaited<ReturnType<typeof openConsole>>;
type Person = NonNullable<Awaited<ReturnType<typeof getPerson>>>;

// The person is looked up before anything is sent, so an unknown id answers a real 404; the timeline, its counts
// and devices stream in behind a skeleton (no loading.tsx here: see app/ops/(console)/loading.tsx).
export default async function OpsPersonPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const db = await openConsole();
  const id = storedIdParam((await params).id);
  if (id === null) notFound();
  const { cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  const person = await getPerson(db, id);
  if (!person) {
    const mergedInto = await resolvePersonId(db, id);
    if (mergedInto !== id) redirect(`/ops/people/${encodeURIComponent(mergedInto)}`);
    notFound();
  }
  return (
    <Suspense key={cursor} fallback={<LoadingSkeleton />}>
      <PersonDetails db={db} person={person} cursor={cursor} />
    </Suspense>
  );
}

async function PersonDetails({ db, person, cursor }: { db: ConsoleDb; person: Person; cursor?: string }) {
  // Runs and messages include those of people merged into this one and of its anonymous ids (ownedByProfile).
  const [page, counts, devices, runs, messages] = await Promise.all([
    orFirstPage((c) => timelinePage(db, person.id, { cursor: c, limit: PAGE_SIZE }), cursor),
    timelineCounts(db, person.id),
    timelineDevices(db, person.id).then(deviceLabels),
    recentRuns(db, { profileId: person.id, limit: RECENT }),
    listOutbox(db, { person: person.id, limit: RECENT }),
  ]);
  return (
    <>
      <PageHeader title={person.email ?? person.id}>
        <span className="font-mono">{person.id}</span> · {counts.events} events, {counts.stitched} stitched from
        anonymous sessions
      </PageHeader>
      <PersonIdentities person={person} devices={devices} />
      <JsonDetails label="Traits" value={person.traits} />
      <Section id="runs" title="Journey runs" className="mt-8">
        <RunsTable runs={runs.items} empty={<EmptyState title="No journey runs for this person" />} />
      </Section>
      <Section id="messages" title="Messages" className="mt-8">
        <OutboxTable
          messages={messages.items}
          filtered
          empty={<EmptyState title="No messages sent to this person" />}
        />
      </Section>
      <Section id="timeline" title="Stitched timeline" className="mt-8">
        <Timeline events={page.items} devices={devices} emptyText="This person has no events." />
        <PageLinks nextCursor={page.next_cursor} cursor={cursor} anchor="timeline" label={`Next ${PAGE_SIZE} events`} />
      </Section>
    </>
  );
}

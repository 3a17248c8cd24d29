import { redirect } from 'next/navigation';
import { AnonymousVisitors } from '@/components/ops/anonymous-visitors';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { PeopleTable } from '@/components/ops/people-table';
import { SearchForm } from '@/components/ops/search-form';
import { Section } from '@/components/ops/section';
import { listAnonymousVisitors, listPeople, openConsole, orFirstPage } from '@/lib/cdp';

export const metadata = { title: 'People · Ops console' };

export default async function OpsPeoplePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token, q, cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  // The login URL printed at start-up: trade the token for a cookie and drop it from the address bar.
  if (typeof token === 'string') redirect(`/api/ops/session?token=${encodeURIComponent(token)}`);
  const db = await openConsole();
  const search = typeof q === 'string' ? q.trim() : '';
  const [people, visitors] = await Promise.all([
    orFirstPage((c) => listPeople(db, { q: search, cursor: c, limit: 100 }), cursor),
    listAnonymousVisitors(db, 20),
  ]);
  return (
    <>
      <PageHeader title="People">
        Everyone the pipeline knows by id, with devices and events stitched in from before they signed in.
      </PageHeader>
      <SearchForm defaultValue={search} />
      <PeopleTable people={people.items} searched={search !== ''} />
      <PageLinks nextCursor={people.next_cursor} cursor={cursor} params={{ q: search }} label="Next 100 people" />
      <Section id="visitors" title="Anonymous activity" className="mt-10">
        <AnonymousVisitors visitors={visitors} />
      </Section>
    </>
  );
}

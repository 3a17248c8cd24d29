import { redirect } from 'next/navigation';
import { AnonymousVisitors } from '@/components/ops/anonymous-visitors';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { PeopleTable } from '@/components/ops/people-table';
import { SearchForm } from '@/components/ops/search-form';
import { Section } from '@/components/ops/section';
import { listAnonymousVisitors, listPeople, openConsole, orFirstPage, tokenSignIn } from '@/lib/cdp';

export const metadata = { title: 'People · Ops console' };

const VISITORS_PAGE = 20;

export default async function OpsPeoplePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token, q, cursor: raw, visitors: rawVisitors } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  // The anonymous visitors' own cursor: either list pages on without losing the other's place.
  const visitorsCursor = typeof rawVisitors === 'string' ? rawVisitors : undefined;
  // The login URL printed at start-up: trade the token for a cookie and drop it from the address bar (proxy.ts
  // does so first, for every console page; this is for a request it did not see).
  if (typeof token === 'string') redirect(tokenSignIn(token, '/ops'));
  const db = await openConsole();
  const search = typeof q === 'string' ? q.trim() : '';
  const [people, visitors] = await Promise.all([
    orFirstPage((c) => listPeople(db, { q: search, cursor: c, limit: 100 }), cursor),
    orFirstPage((c) => listAnonymousVisitors(db, { cursor: c, limit: VISITORS_PAGE }), visitorsCursor),
  ]);
  return (
    <>
      <PageHeader title="People">
        Everyone the pipeline knows by id, with devices and events stitched in from before they signed in.
      </PageHeader>
      <SearchForm defaultValue={search} />
      <PeopleTable people={people.items} searched={search !== ''} />
      <PageLinks
        nextCursor={people.next_cursor}
        cursor={cursor}
        params={{ q: search, visitors: visitorsCursor }}
        label="Next 100 people"
      />
      <Section id="visitors" title="Anonymous activity" className="mt-10">
        <AnonymousVisitors visitors={visitors.items} />
        <PageLinks
          nextCursor={visitors.next_cursor}
          cursor={visitorsCursor}
          cursorParam="visitors"
          navLabel="Pages of anonymous visitors"
          params={{ q: search, cursor }}
          anchor="visitors-heading"
          label={`Next ${VISITORS_PAGE} visitors`}
        />
      </Section>
    </>
  );
}

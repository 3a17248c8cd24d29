import { redirect } from 'next/navigation';
import { AnonymousVisitors } from '@/components/ops/anonymous-visitors';
import { PageHeader } from '@/components/ops/page-header';
import { PeopleTable } from '@/components/ops/people-table';
import { SearchForm } from '@/components/ops/search-form';
import { listAnonymousVisitors, listPeople } from '@/lib/cdp';
import { requireOpsSession } from '@/lib/cdp/ops-auth';
import { getDb } from '@/lib/db';

export const metadata = { title: 'People · Ops console' };

export default async function OpsPeoplePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token, q } = await searchParams;
  // The login URL printed at start-up: trade the token for a cookie and drop it from the address bar.
  if (typeof token === 'string') redirect(`/api/ops/session?token=${encodeURIComponent(token)}`);
  await requireOpsSession();
  const search = typeof q === 'string' ? q.trim() : '';
  const db = await getDb();
  const [people, visitors] = await Promise.all([listPeople(db, { q: search, limit: 100 }), listAnonymousVisitors(db, 20)]);
  return (
    <>
      <PageHeader title="People">Everyone the pipeline knows by id, with devices and events stitched in from before they signed in.</PageHeader>
      <SearchForm defaultValue={search} />
      <PeopleTable people={people} searched={search !== ''} />
      <section aria-labelledby="visitors-heading" className="mt-10">
        <h2 id="visitors-heading" className="mb-3 text-lg font-semibold text-stone-900">
          Anonymous activity
        </h2>
        <AnonymousVisitors visitors={visitors} />
      </section>
    </>
  );
}

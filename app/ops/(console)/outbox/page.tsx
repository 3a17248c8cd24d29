import { OutboxTable } from '@/components/ops/outbox-table';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { builtInJourneys, listOutbox, openConsole, orFirstPage } from '@/lib/cdp';

export const metadata = { title: 'Outbox · Ops console' };

const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v.trim() : '');

export default async function OpsOutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const db = await openConsole();
  const params = await searchParams;
  const to = text(params.to);
  const journey = text(params.journey);
  const cursor = text(params.cursor) || undefined;
  const messages = await orFirstPage(
    (c) => listOutbox(db, { to: to || undefined, journey: journey || undefined, cursor: c }),
    cursor,
  );
  return (
    <>
      <PageHeader title="Outbox">
        Emails the live journeys sent. Nothing leaves this machine: open one to see it rendered.
      </PageHeader>
      <form
        method="get"
        className="mb-4 flex flex-wrap items-end gap-3 text-sm"
        role="search"
        aria-label="Filter messages"
      >
        <label className="flex flex-col gap-1">
          <span className="font-medium text-stone-700">To</span>
          <input
            name="to"
            type="text"
            inputMode="email"
            defaultValue={to}
            className="rounded-md border border-stone-300 px-3 py-1.5"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium text-stone-700">Journey</span>
          <select name="journey" defaultValue={journey} className="rounded-md border border-stone-300 px-3 py-1.5">
            <option value="">All journeys</option>
            {builtInJourneys.map((j) => (
              <option key={j.id} value={j.id}>
                {j.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-stone-900 px-3 py-1.5 font-medium text-white">
          Filter
        </button>
      </form>
      <OutboxTable messages={messages.items} filtered={Boolean(to || journey)} />
      <PageLinks nextCursor={messages.next_cursor} cursor={cursor} params={{ to, journey }} label="Older messages" />
    </>
  );
}

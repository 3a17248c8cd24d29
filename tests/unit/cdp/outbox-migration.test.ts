import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { listOutbox } from '@/lib/cdp/read/outbox';
import { unmigratedDatabase } from '../support/database';

// An outbox from before 0024 (which rebuilds its journey and address indexes) migrated forward: the console's
// filtered pages list the same emails in the same order, page after page, and the migration goes back down.
// A storage suite: SQLite and PostgreSQL.
const T = Date.parse('2026-01-01T00:00:00.000Z');
const email = (n: number) => ({
  id: `msg_${String(n).padStart(3, '0')}`,
  run_id: `run_${n}`,
  journey_id: n % 3 ? 'cart-recovery-lookback' : 'browse-recovery',
  person_id: `cus_${n % 5}`,
  // Mixed case: the console matches the address case-insensitively.
  to_email: n % 2 ? `Person${n % 5}@Example.com` : `person${n % 5}@example.com`,
  template_id: 'cart-recovery',
  subject: 'Your cart',
  html: '<p>cart</p>',
  text: 'cart',
  restore_url: null,
  scheduled_at: new Date(T).toISOString(),
  // Ten emails per stamp, as a pass sends them: the id breaks the ties.
  created_at: new Date(T + Math.floor(n / 10) * 60_000).toISOString(),
});

it('lists the same emails through the new indexes, page after page, and migrates back down', async () => {
  const { db, migrator } = await unmigratedDatabase();
  const before = await migrator.migrateTo('0023-journey-runs-indexes');
  if (before.error) throw before.error;
  const rows = Array.from({ length: 60 }, (_, i) => email(i));
  // Untyped: the schema as it was at 0023.
  await (db as unknown as Kysely<{ outbox: (typeof rows)[number] }>).insertInto('outbox').values(rows).execute();
  const { error } = await migrator.migrateTo('0024-outbox-read-indexes');
  expect(error).toBeUndefined();

  const newestFirst = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? 1 : -1;
  const expected = (keep: (r: (typeof rows)[number]) => boolean) =>
    rows
      .filter(keep)
      .sort(newestFirst)
      .map((r) => r.id);
  const allPages = async (filter: { journey?: string; to?: string }) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOutbox(db, { ...filter, cursor, limit: 7 });
      ids.push(...page.items.map((m) => m.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return ids;
  };
  expect(await allPages({ journey: 'browse-recovery' })).toEqual(expected((r) => r.journey_id === 'browse-recovery'));
  expect(await allPages({ to: 'PERSON3@example.COM' })).toEqual(
    expected((r) => r.to_email.toLowerCase() === 'person3@example.com'),
  );

  const down = await migrator.migrateTo('0023-journey-runs-indexes');
  expect(down.error).toBeUndefined();
  expect(await allPages({ journey: 'browse-recovery' })).toEqual(expected((r) => r.journey_id === 'browse-recovery'));
  await db.destroy();
});

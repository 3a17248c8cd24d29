import { CompiledQuery, sql, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import { expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { claimDueRows, type RetryQueue } from '@/lib/db/retry-queue';
import { freshDb } from '../support/database';

// PostgreSQL only (vitest project `postgres`): a queue's statistics are usually taken while nearly every row is sent,
// so when a backlog builds up (Customer.io down, a flood of calls) the planner expects about one pending row. The
// claim's locking query was then joined as a nested loop and run again for every pending row: quadratic, 7,000
// pending rows took 32 s, past the statement timeout, and the forwarder stopped for good. It must run once.

type PlanNode = { 'Node Type': string; 'Actual Loops': number; Plans?: PlanNode[] };
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

/** `work`'s result, its writes rolled back. */
async function rolledBack<T>(db: DB, work: (trx: DB) => Promise<T>): Promise<T> {
  let result!: T;
  const rollback = new Error('rollback');
  await db
    .transaction()
    .execute(async (trx) => {
      result = await work(trx);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return result;
}

/** The claim's UPDATE as claimDueRows sends it (the claim itself rolled back). */
async function claimStatement(db: DB, queue: RetryQueue, nowMs: number): Promise<CompiledQuery> {
  const sent: { node: RootOperationNode; queryId: QueryId }[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: (args) => (sent.push(args), args.node),
    transformResult: async ({ result }) => result,
  };
  await rolledBack(db, (trx) => claimDueRows(trx.withPlugin(recorder), queue, nowMs, 60_000, 100));
  const claim = sent.find((s) => s.node.kind === 'UpdateQueryNode')!;
  return db.getExecutor().compileQuery(claim.node, claim.queryId);
}

it.each<RetryQueue>(['cdp_forward_queue', 'shop_event_outbox'])(
  'claiming from a backlog of %s the statistics do not know of locks the due rows once',
  async (queue) => {
    const db = await freshDb();
    const row = (status: 'sent' | 'pending', i: number) => ({
      message_id: `${status}-${i}`,
      payload: '{}',
      status,
      attempts: 0,
      next_attempt_at: 0,
      created_at: '2026-01-01T00:00:00.000Z',
      sent_at: status === 'sent' ? '2026-01-01T00:00:00.000Z' : null,
      person_key: `p${i % 50}`,
    });
    const insert = (status: 'sent' | 'pending', n: number) =>
      db
        .insertInto(queue as 'cdp_forward_queue')
        .values(Array.from({ length: n }, (_, i) => row(status, i)))
        .execute();
    await insert('sent', 2_000);
    await sql`analyze ${sql.table(queue)}`.execute(db);
    await insert('pending', 300);

    const claim = await claimStatement(db, queue, 1);
    // EXPLAIN ANALYZE runs the claim: rolled back too.
    const explained = await rolledBack(db, (trx) =>
      trx.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        CompiledQuery.raw(`explain (analyze, format json) ${claim.sql}`, [...claim.parameters]),
      ),
    );
    const plan = explained.rows[0]!['QUERY PLAN'][0].Plan;
    const locks = nodes(plan).filter((n) => n['Node Type'] === 'LockRows');
    expect(locks.length).toBeGreaterThan(0);
    expect(locks.map((n) => n['Actual Loops'])).toEqual(locks.map(() => 1));
  },
);

import { CompiledQuery, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import type { DB } from '@/lib/db';

export type PlannedStatement = { sql: string; details: string[] };

/**
 * Every statement `work` sends through its handle, with SQLite's plan of it (the EXPLAIN QUERY PLAN details).
 * SQLite has no statistics to go by in a test, so this is the plan it would choose on any amount of data.
 */
export async function plansOf(db: DB, work: (db: DB) => Promise<unknown>): Promise<PlannedStatement[]> {
  const sent: { node: RootOperationNode; queryId: QueryId }[] = [];
  const recorder: KyselyPlugin = {
    transformQuery: (args) => (sent.push(args), args.node),
    transformResult: async ({ result }) => result,
  };
  await work(db.withPlugin(recorder));
  const planned: PlannedStatement[] = [];
  for (const { node, queryId } of sent) {
    const { sql, parameters } = db.getExecutor().compileQuery(node, queryId);
    const plan = await db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${sql}`, [...parameters]),
    );
    planned.push({ sql, details: plan.rows.map((r) => r.detail) });
  }
  return planned;
}

/**
 * The plan lines that read every row of one of `tables`: `SCAN <table or its alias>`, its table or any index of
 * it. A CTE's or a small table's scan is not one; a scan of a partial index is (the test names those it allows).
 */
export function scansOf({ sql, details }: PlannedStatement, tables: readonly string[]): string[] {
  const names = new Set(tables);
  for (const [, table, alias] of sql.matchAll(/"(\w+)" as "(\w+)"/g)) if (names.has(table!)) names.add(alias!);
  return details.filter((d) => names.has(/^SCAN (\w+)/.exec(d)?.[1] ?? '')).map((d) => `${d}: ${sql}`);
}

import {
  ColumnNode,
  InsertQueryNode,
  ReferenceNode,
  SelectQueryNode,
  UpdateQueryNode,
  type KyselyPlugin,
  type RootOperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
} from 'kysely';
import type { DB } from '@/lib/db';

/**
 * The database failing mid-transaction (disk full, connection lost): the nth insert into `table` throws.
 * Used to prove that a batch is stored whole or not at all.
 */
export function failOnNthInsert(db: DB, table: string, nth: number): DB {
  let seen = 0;
  const plugin: KyselyPlugin = {
    transformQuery({ node }: PluginTransformQueryArgs) {
      if (InsertQueryNode.is(node) && node.into?.table.identifier.name === table && ++seen === nth)
        throw new Error(`injected failure on insert ${nth} into ${table}`);
      return node;
    },
    transformResult: async ({ result }: PluginTransformResultArgs) => result,
  };
  return db.withPlugin(plugin);
}

/**
 * The database failing on chosen statements (busy past its timeout, a lost connection): a query `fails` says yes
 * to throws before it runs, as SQLite's "database is locked" would. Everything else runs.
 */
export function failQueries(
  db: DB,
  fails: (node: RootOperationNode) => boolean,
  error: () => Error = () => Object.assign(new Error('database is locked (injected)'), { code: 'SQLITE_BUSY' }),
): DB {
  const plugin: KyselyPlugin = {
    transformQuery({ node }: PluginTransformQueryArgs) {
      if (fails(node)) throw error();
      return node;
    },
    transformResult: async ({ result }: PluginTransformResultArgs) => result,
  };
  return db.withPlugin(plugin);
}

/** failQueries for the first query `fails` says yes to only: a transient error. */
export function failOnce(db: DB, fails: (node: RootOperationNode) => boolean): DB {
  let failed = false;
  return failQueries(db, (node) => !failed && fails(node) && (failed = true));
}

/** An UPDATE that sets `column` (e.g. `sent_at`: marking rows sent). */
export const setsColumn = (node: RootOperationNode, column: string) =>
  UpdateQueryNode.is(node) &&
  (node.updates ?? []).some((u) => ColumnNode.is(u.column) && u.column.column.name === column);

/** A SELECT that reads `column` by name (not inside an aggregate). */
export const selectsColumn = (node: RootOperationNode, column: string) =>
  SelectQueryNode.is(node) &&
  (node.selections ?? []).some(
    (s) =>
      ReferenceNode.is(s.selection) && ColumnNode.is(s.selection.column) && s.selection.column.column.name === column,
  );

/** Every insert into `table` throws a plain error: a failure that is not the database being down. */
export function failInserts(db: DB, table: string): DB {
  return failQueries(
    db,
    (node) => InsertQueryNode.is(node) && node.into?.table.identifier.name === table,
    () => new Error(`injected failure on an insert into ${table}`),
  );
}

import {
  InsertQueryNode,
  type KyselyPlugin,
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

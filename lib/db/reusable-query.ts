import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { dialectOf } from './dialect';
import { prepareAs } from './postgres';

/** SQL by dialect and shape, for queries whose building cost more than running them; shapes are few (see below). */
const compiled = new Map<string, CompiledQuery<unknown>>();

/**
 * A hot query built and compiled once per database kind and `shape`, then run with each call's `parameters`
 * (building it per call cost more than running it, issue 13); on PostgreSQL as a prepared statement named `shape`. `build` makes the query for `parameters`; its
 * compiled parameters must be exactly those, in order, which is checked when it is first compiled: a query that
 * does not pass (Kysely inlined a value) is simply built every time. `shape` names everything else the SQL depends
 * on (a list's length: see `paddedToPowerOfTwo`). A handle with plugins (tests' fault injection) builds it every
 * time, since plugins rewrite queries as they compile.
 */
export function reusableQuery<R>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  shape: string,
  parameters: readonly unknown[],
  build: () => Compilable<R>,
): CompiledQuery<R> {
  if (db.getExecutor().plugins.length) return build().compile();
  const key = `${dialectOf(db)}:${shape}`;
  const known = compiled.get(key) as CompiledQuery<R> | undefined;
  if (known) return { ...known, parameters };
  const query = build().compile();
  const same = query.parameters.length === parameters.length && query.parameters.every((p, i) => p === parameters[i]);
  if (!same) return query;
  compiled.set(key, query as CompiledQuery<unknown>);
  // Its text never changes, so PostgreSQL can keep it parsed and planned on each connection.
  if (dialectOf(db) === 'postgres') prepareAs(query.sql, shape);
  return query;
}

/**
 * The ids of an `in (…)` list padded (with its last id) to a power of two: the same matches, and a few SQL texts,
 * each compiled and prepared once, instead of one per list length.
 */
export function paddedToPowerOfTwo<T>(ids: readonly T[]): T[] {
  if (!ids.length) return [];
  let size = 1;
  while (size < ids.length) size *= 2;
  return [...ids, ...Array<T>(size - ids.length).fill(ids.at(-1)!)];
}

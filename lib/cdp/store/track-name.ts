import { sql, type RawBuilder } from 'kysely';

/**
 * A track call's event name as the pipeline keys it: its tracking-plan name, else the name it was sent with (the
 * profile loader names events the same way in JS). The partial indexes on track names (migrations 0012, 0013) are
 * built on this very expression, for `type = 'track'`: a query that spells it otherwise, or names the type as a
 * parameter instead of a literal, reads every event instead. `alias` is the events table's alias in the query.
 */
export const trackName = (alias?: string): RawBuilder<string> => {
  const column = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  return sql<string>`coalesce(${column('canonical_name')}, ${column('name')})`;
};

import { sql, type RawBuilder } from 'kysely';

/**
 * A track call's event name as journeys, segments and reports key it: the name it was sent with (trimmed at
 * ingest), as Customer.io matches a campaign's trigger or a segment's event ("make sure that the event name used in
 * track and the event name used to create a segment are the same", customer.io/docs/events). A drifted name
 * (`add_to_cart`) is not its tracking-plan name there, so not here either: its `canonical_name` serves the
 * data-quality report alone. The partial indexes on track names (migration 0028) are built on this column, for
 * `type = 'track'`: a query that names the type as a parameter instead of a literal reads every event instead.
 * `alias` is the events table's alias in the query.
 */
export const trackName = (alias?: string): RawBuilder<string> =>
  sql<string>`${sql.ref(alias ? `${alias}.name` : 'name')}`;

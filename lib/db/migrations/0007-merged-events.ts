import type { Kysely, Migration } from 'kysely';

/**
 * `cdp_events.merged_from`: the person an event was moved from by a person merge (null for the person's own
 * events). Inherited events stay in the history (segments, timelines) but never trigger a journey, as in
 * Customer.io. Set at merge time, because nothing else stored tells a moved event from an own one afterwards.
 */
export const mergedEventsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cdp_events').addColumn('merged_from', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('cdp_events').dropColumn('merged_from').execute();
  },
};

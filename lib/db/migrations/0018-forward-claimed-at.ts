import type { Kysely, Migration } from 'kysely';
import { epochMsType } from '../dialect';

/**
 * `claimed_at`: wall-clock ms when an instance claimed the row to send it, null when no attempt is under way.
 * A claim pushes `next_attempt_at` out to the claim's expiry (lib/cdp/store/forward-queue.ts), which the console
 * showed as the next attempt; with this it shows the truth: in flight since `claimed_at`, until the expiry at most.
 * Informational only: the queue still claims and retries by `next_attempt_at` alone.
 */
export const forwardClaimedAtMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cdp_forward_queue').addColumn('claimed_at', epochMsType(db)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('cdp_forward_queue').dropColumn('claimed_at').execute();
  },
};

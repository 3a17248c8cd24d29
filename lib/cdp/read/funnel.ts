import 'server-only';
import type { EventName } from '@/lib/tracking/plan';
import type { DB } from '@/lib/db';

/**
 * The purchase funnel, split by whether each step happened while the shopper was anonymous (sent without a
 * userId) or known. The anonymous share is the pre-login intent a shop loses without identity stitching.
 * Counts profiles: a person (with all their stitched devices) or an anonymous id nobody has claimed.
 */
export const FUNNEL_STEPS = [
  'Product Viewed',
  'Added to Cart',
  'Checkout Started',
  'Order Completed',
] as const satisfies readonly EventName[];

export type FunnelStep = { name: (typeof FUNNEL_STEPS)[number]; profiles: number; anonymous: number; known: number };

export async function funnel(db: DB): Promise<FunnelStep[]> {
  const rows = await db
    .selectFrom('cdp_events')
    .select(['canonical_name', 'person_id', 'anonymous_id', 'user_id'])
    .where('type', '=', 'track')
    .where('canonical_name', 'in', [...FUNNEL_STEPS])
    .orderBy('timestamp')
    .orderBy('seq')
    .execute();
  return FUNNEL_STEPS.map((name) => {
    // A profile is counted once per step, by how it first did that step.
    const first = new Map<string, boolean>();
    for (const r of rows) {
      if (r.canonical_name !== name) continue;
      const profile = r.person_id ?? `anon:${r.anonymous_id}`;
      if (!first.has(profile)) first.set(profile, r.user_id === null);
    }
    const anonymous = [...first.values()].filter(Boolean).length;
    return { name, profiles: first.size, anonymous, known: first.size - anonymous };
  });
}

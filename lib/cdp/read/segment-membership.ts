import 'server-only';
import type { DB } from '@/lib/db';
import { loadAllPersonProfiles } from '@/lib/cdp/store/profile-loader';
import { builtInSegments, findSegment } from '@/lib/cdp/engine/segments/builtins';
import { evaluateSegment } from '@/lib/cdp/engine/segments/evaluate';
import type { SegmentDefinition } from '@/lib/cdp/engine/segments/schema';

/**
 * Segment membership on the pipeline's data at `now`. Only people are evaluated (every built-in needs an
 * email), and a stitched event counts from the identify that attached it: an anonymous cart puts nobody in
 * "Cart abandoners" until it is identified.
 */

const summary = (s: SegmentDefinition) => ({ id: s.id, name: s.name, description: s.description ?? '' });

export async function listSegments(db: DB, now: Date) {
  const profiles = await loadAllPersonProfiles(db);
  return builtInSegments.map((s) => ({
    ...summary(s),
    member_count: profiles.filter((p) => evaluateSegment(s, p, now)).length,
  }));
}

/** The segment and its members, or null for an unknown id. */
export async function segmentMembers(db: DB, id: string, now: Date) {
  const segment = findSegment(id);
  if (!segment) return null;
  const profiles = await loadAllPersonProfiles(db);
  const members = profiles
    .filter((p) => evaluateSegment(segment, p, now))
    .map((p) => ({ person_id: p.profileId, email: p.email }));
  return { segment: summary(segment), members };
}

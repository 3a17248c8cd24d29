import 'server-only';
import { sql, type RawBuilder } from 'kysely';
import type { DB } from '@/lib/db';
import { jsonPathTest } from '@/lib/db/dialect';
import { parseDuration } from '@/lib/common/duration';
import { trackName } from '@/lib/cdp/store/track-name';
import { IDENTITY_CONFLICT_TEXT } from '@/lib/cdp/model/quality';
import type {
  Condition,
  NotPerformedCondition,
  PerformedCondition,
  PropertyCondition,
} from '@/lib/cdp/engine/segments/schema';

/**
 * Segment conditions compiled to SQL: a predicate on one person (`cdp_people as p`) that means exactly what the
 * pure evaluator in engine/segments/evaluate.ts means at `now` (a property test holds them equal), so membership
 * over 100k people is one query instead of loading everyone. The evaluator stays the reference and still
 * explains one person's membership in the console.
 *
 * - History at `now`: an event counts once it happened (timestamp ≤ now) and is the person's (attached_at ≤ now;
 *   a stitched event counts from the identify that attached it). Times are ISO strings of one format
 *   (toISOString), so they compare as text on both databases.
 * - Event names: track calls by the name they were sent with (store/track-name.ts), as the profile loader names them.
 * - `notPerformed since condition:x`: x must have passed, and no offending event may come after x's latest match
 *   in (timestamp, seq) order, i.e. every offender has some match of x at or after it.
 * - `hasAttribute`: the latest identify (by when it became the person's) carrying the trait decides; a person with
 *   no identify at all reads the stored traits and email, as the engine does for a profile without history. A
 *   refused identify (`identity_conflict`) carries none of its traits, an anonymous one refused only its email, as
 *   the profile loader reads them (store/profile-loader.ts `appliedTraits`). Identifies a merge brought
 *   (`merged_from`) fill only a trait unset before the last of them (engine/subject.ts `traitsFrom`).
 */

type Context = { db: DB; now: string; nowMs: number; named: Map<string, PerformedCondition> };
type Alias = 'e' | 'o' | 'a';

const col = (alias: Alias, column: string) => sql.ref(`${alias}.${column}`);
const and = (parts: RawBuilder<unknown>[]) => sql<boolean>`(${sql.join(parts, sql` and `)})`;

function whereTest(ctx: Context, alias: Alias, w: PropertyCondition): RawBuilder<boolean> {
  const test = w.op === 'exists' ? { op: w.op } : w.op === 'eq' ? { op: w.op, value: w.value } : w;
  return jsonPathTest(ctx.db, col(alias, 'properties'), w.path.split('.'), test);
}

/** Track events of person p that a performed/notPerformed condition counts (name, window, where, visibility). */
function matches(
  ctx: Context,
  alias: Alias,
  c: { event: string; within?: string; where?: PropertyCondition[] },
): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [
    sql`${col(alias, 'person_id')} = p.id`,
    sql`${col(alias, 'type')} = 'track'`,
    sql`${trackName(alias)} = ${c.event}`,
    sql`${col(alias, 'timestamp')} <= ${ctx.now}`,
    sql`(${col(alias, 'attached_at')} is null or ${col(alias, 'attached_at')} <= ${ctx.now})`,
  ];
  if (c.within) parts.push(sql`${col(alias, 'timestamp')} >= ${windowStart(ctx, c.within)}`);
  for (const w of c.where ?? []) parts.push(whereTest(ctx, alias, w));
  return and(parts);
}

const windowStart = (ctx: Context, within: string) => new Date(ctx.nowMs - parseDuration(within)).toISOString();

function performed(ctx: Context, c: PerformedCondition): RawBuilder<boolean> {
  const need = c.count?.gte ?? 1;
  return need === 1
    ? sql<boolean>`exists (select 1 from cdp_events e where ${matches(ctx, 'e', c)})`
    : sql<boolean>`((select count(*) from cdp_events e where ${matches(ctx, 'e', c)}) >= ${need})`;
}

function notPerformed(ctx: Context, c: NotPerformedCondition): RawBuilder<boolean> {
  if (!c.since) return sql<boolean>`not exists (select 1 from cdp_events o where ${matches(ctx, 'o', c)})`;
  const anchor = ctx.named.get(c.since.slice('condition:'.length));
  // The schema guarantees the reference; an unresolved one matches nobody, as the engine answers.
  if (!anchor) return sql<boolean>`(1 = 0)`;
  const notAfterAnchor = sql`exists (select 1 from cdp_events a where ${matches(ctx, 'a', anchor)}
    and (a.timestamp > o.timestamp or (a.timestamp = o.timestamp and a.seq >= o.seq)))`;
  return sql<boolean>`(${performed(ctx, anchor)} and not exists (select 1 from cdp_events o
    where ${matches(ctx, 'o', c)} and not ${notAfterAnchor}))`;
}

function hasAttribute(ctx: Context, trait: string): RawBuilder<boolean> {
  const identify = (a: string) =>
    sql`${sql.ref(`${a}.person_id`)} = p.id and ${sql.ref(`${a}.type`)} = 'identify'
      and coalesce(${sql.ref(`${a}.identity_check`)}, '') <> 'unverified'`;
  const entry = (a: string) => {
    const [attached, timestamp] = [sql.ref(`${a}.attached_at`), sql.ref(`${a}.timestamp`)];
    return sql`(case when ${attached} is not null and ${attached} > ${timestamp} then ${attached} else ${timestamp} end)`;
  };
  const known = (a: string) => sql`${identify(a)} and ${entry(a)} <= ${ctx.now}`;
  const conflict = (a: string) => sql`${sql.ref(`${a}.violations`)} like ${`%${IDENTITY_CONFLICT_TEXT}%`}`;
  const refused = (a: string) =>
    trait === 'email' ? conflict(a) : sql`(${conflict(a)} and ${sql.ref(`${a}.user_id`)} is not null)`;
  const traits = (a: string) => sql.ref(`${a}.traits`);
  const carrying = (a: string) =>
    sql`${known(a)} and ${jsonPathTest(ctx.db, traits(a), [trait], { op: 'present' })} and not ${refused(a)}`;
  // One merge's identifies share their entry time (the merge's); they combine and fill at the last of them.
  const mergeEnd = sql`(select max(k.seq) from cdp_events k where ${known('k')} and k.merged_from is not null
    and ${entry('k')} = ${entry('i')})`;
  const ownAfter = (end: RawBuilder<unknown>) => sql`exists (select 1 from cdp_events j where ${carrying('j')}
    and j.merged_from is null and (${entry('j')} > ${entry('i')} or (${entry('j')} = ${entry('i')} and j.seq > ${end})))`;
  const mergeLaterCarrying = sql`exists (select 1 from cdp_events j where ${carrying('j')}
    and j.merged_from is not null and ${entry('j')} = ${entry('i')} and j.seq > i.seq)`;
  // A value decides when it is the latest own one, or one a merge after it filled (the last of that merge's).
  const decides = sql<boolean>`exists (select 1 from cdp_events i where ${carrying('i')}
    and ${jsonPathTest(ctx.db, traits('i'), [trait], { op: 'exists' })}
    and (case when i.merged_from is null then not ${ownAfter(sql`i.seq`)}
      else not ${mergeLaterCarrying} and not ${ownAfter(mergeEnd)} end))`;
  const stored = jsonPathTest(ctx.db, sql`p.traits`, [trait], { op: 'exists' });
  const fallback = trait === 'email' ? sql`((p.email is not null and p.email <> '') or ${stored})` : stored;
  return sql<boolean>`(case when exists (select 1 from cdp_events i where ${identify('i')})
    then ${decides} else ${fallback} end)`;
}

function compile(ctx: Context, c: Condition): RawBuilder<boolean> {
  switch (c.kind) {
    case 'performed':
      if (c.id) ctx.named.set(c.id, c);
      return performed(ctx, c);
    case 'notPerformed':
      return notPerformed(ctx, c);
    case 'hasAttribute':
      return hasAttribute(ctx, c.trait);
    case 'all':
    case 'any': {
      const parts = c.conditions.map((child) => compile(ctx, child));
      return sql<boolean>`(${sql.join(parts, c.kind === 'all' ? sql` and ` : sql` or `)})`;
    }
  }
}

/**
 * People who can possibly match, read from the events that can match (a performed condition every member must
 * pass), through the partial index on track names: the predicate then runs for them only, not for everyone.
 * Null when the condition has no such leaf (everyone is a candidate).
 */
function candidates(ctx: Context, c: Condition): RawBuilder<unknown> | null {
  if (c.kind === 'performed') {
    const from = c.within ? sql`and e.timestamp >= ${windowStart(ctx, c.within)}` : sql``;
    return sql`select e.person_id from cdp_events e where e.type = 'track'
      and ${trackName('e')} = ${c.event} and e.timestamp <= ${ctx.now} ${from}
      and e.person_id is not null`;
  }
  if (c.kind === 'all') {
    for (const child of c.conditions) {
      const found = candidates(ctx, child);
      if (found) return found;
    }
    return null;
  }
  if (c.kind === 'any') {
    const each = c.conditions.map((child) => candidates(ctx, child));
    return each.every(Boolean) ? sql.join(each as RawBuilder<unknown>[], sql` union `) : null;
  }
  return null;
}

/** `where` clause for `cdp_people as p`: p is a member of the segment with this condition at `now`. */
export function membershipPredicate(db: DB, condition: Condition, now: Date): RawBuilder<boolean> {
  const ctx: Context = { db, now: now.toISOString(), nowMs: now.getTime(), named: new Map() };
  const predicate = compile(ctx, condition);
  const from = candidates(ctx, condition);
  return from ? sql<boolean>`(p.id in (${from}) and ${predicate})` : predicate;
}

import { parseDuration } from '@/lib/common/duration';
import type { EngineEvent, Profile } from '@/lib/cdp/model/event';
import {
  hasValue,
  historyAt,
  isAfter,
  propertyAt,
  tracksNamed,
  traitsAt,
  type Horizon,
} from '@/lib/cdp/engine/subject';
import type { Condition, PropertyCondition, SegmentDefinition } from './schema';

/**
 * Evaluates segment conditions against a profile's history at an explicit `now`. Window rule, everywhere:
 * an event counts when `now - within ≤ timestamp ≤ now` — an event exactly `within` ago is in, 1 ms older is out.
 */

export type ConditionResult = {
  label: string;
  passed: boolean;
  /** Why, in words the console can show ("0 of 1 needed", "Order Completed #12 at … after #9"). */
  detail: string;
  /** Seqs of the events that decided it (matches for `performed`, offenders for `notPerformed`). */
  seqs: number[];
  children?: ConditionResult[];
};

type Context = {
  profile: Profile;
  history: EngineEvent[];
  now: Date;
  /** Latest match of each named `performed` condition that passed; `since` references resolve here. */
  anchors: Map<string, EngineEvent>;
};

const show = (e: EngineEvent) => `#${e.seq} at ${e.timestamp.toISOString()}`;

function describeWhere(where: PropertyCondition[] | undefined): string {
  if (!where?.length) return '';
  const ops = { eq: '=', gte: '≥', lte: '≤' } as const;
  const parts = where.map((w) =>
    w.op === 'exists' ? `${w.path} exists` : `${w.path} ${ops[w.op]} ${JSON.stringify(w.value)}`,
  );
  return ` where ${parts.join(' and ')}`;
}

export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'performed': {
      const times = c.count ? ` ≥ ${c.count.gte} times` : '';
      return `performed ${c.event}${times}${c.within ? ` within ${c.within}` : ''}${describeWhere(c.where)}`;
    }
    case 'notPerformed': {
      const since = c.since ? ` since ${c.since}` : '';
      return `did not perform ${c.event}${since}${c.within ? ` within ${c.within}` : ''}${describeWhere(c.where)}`;
    }
    case 'hasAttribute':
      return `has ${c.trait}`;
    case 'all':
      return 'all of';
    case 'any':
      return 'any of';
  }
}

function matchesWhere(e: EngineEvent, where: PropertyCondition[] | undefined): boolean {
  return (where ?? []).every((w) => {
    const value = propertyAt(e.properties, w.path);
    if (w.op === 'exists') return hasValue(value);
    if (w.op === 'eq') return value === w.value;
    if (typeof value !== 'number') return false;
    return w.op === 'gte' ? value >= w.value : value <= w.value;
  });
}

function candidates(c: { event: string; within?: string; where?: PropertyCondition[] }, ctx: Context) {
  const from = c.within ? ctx.now.getTime() - parseDuration(c.within) : -Infinity;
  return tracksNamed(ctx.history, c.event).filter((e) => e.timestamp.getTime() >= from && matchesWhere(e, c.where));
}

function evaluate(c: Condition, ctx: Context): ConditionResult {
  const label = describeCondition(c);
  switch (c.kind) {
    case 'performed': {
      const matches = candidates(c, ctx);
      const need = c.count?.gte ?? 1;
      const latest = matches.at(-1);
      const passed = matches.length >= need && latest !== undefined;
      if (passed && c.id) ctx.anchors.set(c.id, latest);
      const detail = passed
        ? `${matches.length} matching, latest ${show(latest)}`
        : `${matches.length} of ${need} needed`;
      return { label, passed, detail, seqs: matches.map((e) => e.seq) };
    }
    case 'notPerformed': {
      const anchor = c.since ? ctx.anchors.get(c.since.slice('condition:'.length)) : undefined;
      if (c.since && !anchor) return { label, passed: false, detail: `${c.since} has no matching event`, seqs: [] };
      const offenders = candidates(c, ctx).filter((e) => !anchor || isAfter(e, anchor));
      const first = offenders[0];
      const detail = first ? `${c.event} ${show(first)}${anchor ? ` after #${anchor.seq}` : ''}` : 'none found';
      return { label, passed: !first, detail, seqs: offenders.map((e) => e.seq) };
    }
    case 'hasAttribute': {
      const value = traitsAt(ctx.profile, ctx.now)[c.trait];
      return { label, passed: hasValue(value), detail: hasValue(value) ? 'present' : 'missing', seqs: [] };
    }
    case 'all':
    case 'any': {
      // Every child is evaluated (no short-circuit) so the console can show each one.
      const children = c.conditions.map((child) => evaluate(child, ctx));
      const passed = c.kind === 'all' ? children.every((r) => r.passed) : children.some((r) => r.passed);
      const failing = children.filter((r) => !r.passed).length;
      return { label, passed, detail: `${children.length - failing} of ${children.length} passed`, seqs: [], children };
    }
  }
}

export type ConditionEvaluation = { passed: boolean; result: ConditionResult; anchors: Map<string, EngineEvent> };

/** Evaluates a condition tree; `anchors` gives the latest event of each named `performed` that passed. */
export function evaluateCondition(condition: Condition, profile: Profile, horizon: Horizon): ConditionEvaluation {
  const ctx: Context = { profile, history: historyAt(profile, horizon), now: horizon.now, anchors: new Map() };
  const result = evaluate(condition, ctx);
  return { passed: result.passed, result, anchors: ctx.anchors };
}

/** The leaf conditions that made a failing tree fail. */
export function failedLeaves(result: ConditionResult): ConditionResult[] {
  if (result.passed) return [];
  return result.children ? result.children.flatMap(failedLeaves) : [result];
}

export type SegmentExplanation = {
  segmentId: string;
  member: boolean;
  result: ConditionResult;
  failed: ConditionResult[];
};

export function explainSegment(segment: SegmentDefinition, profile: Profile, now: Date): SegmentExplanation {
  const { passed, result } = evaluateCondition(segment.condition, profile, { now });
  return { segmentId: segment.id, member: passed, result, failed: failedLeaves(result) };
}

export const evaluateSegment = (segment: SegmentDefinition, profile: Profile, now: Date): boolean =>
  explainSegment(segment, profile, now).member;

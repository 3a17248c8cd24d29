import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issuesOf } from '@/lib/tracking/descriptor-check';
import { build } from '@/lib/tracking/descriptor-zod';
import type { Descriptor } from '@/lib/tracking/descriptors';
import { SIGNATURE_PAYLOAD } from '@/lib/tracking/identity-signature-token';
import { identifyTraitsSchema } from '@/lib/tracking/identity';
import { checkAgainstPlanData, shapeOf } from '@/lib/tracking/plan-check';
import { PAGE_PROPERTIES, PLAN_EVENTS } from '@/lib/tracking/plan-data';
import { DRIFTED_NAMES, EVENT_NAMES, checkAgainstPlan, type PlanMessage } from '@/lib/tracking/plan';
import { IDENTIFY_TRAITS } from '@/lib/tracking/traits';
import { mutatedOf, validOf } from './support/descriptor-arbitrary';

/**
 * The browser checks the plan without zod (plan-check.ts, traits.ts, from the plan's data); the server and the
 * pipeline check it with the zod schemas built from the same data (plan.ts, identity.ts). For valid and mutated
 * messages of every event, the page call, the identify traits and the signature payload, both must give the same
 * verdict and the same violations (kind and path, in order). FUZZ_RUNS (default 100 per target) and FUZZ_SEED.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const options = { numRuns: RUNS, seed: SEED };

const summary = (check: { canonicalName: string | null; violations: { kind: string; path?: string }[] }) => ({
  canonicalName: check.canonicalName,
  violations: check.violations.map(({ kind, path }) => ({ kind, path })),
});

function agreeOnMessage(message: PlanMessage) {
  const browser = summary(checkAgainstPlanData(message));
  expect(browser).toEqual(summary(checkAgainstPlan(message)));
  return browser;
}

const zodPaths = (d: Descriptor, value: unknown) => {
  const result = build(d).safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.map(String).join('.'));
};
const dataPaths = (d: Descriptor, value: unknown) => issuesOf(d, value).map((i) => i.path.map(String).join('.'));

describe('the browser plan check agrees with the zod schemas', () => {
  for (const name of EVENT_NAMES) {
    const shape = { kind: 'object', shape: PLAN_EVENTS[name] } as const;
    it(`${name}: valid properties pass both`, () => {
      fc.assert(
        fc.property(validOf(shape), (properties) => {
          expect(agreeOnMessage({ type: 'track', event: name, properties }).violations).toEqual([]);
        }),
        options,
      );
    });
    it(`${name}: mutated properties get the same violations from both`, () => {
      let rejected = 0;
      fc.assert(
        fc.property(mutatedOf(shape), (properties) => {
          if (agreeOnMessage({ type: 'track', event: name, properties }).violations.length) rejected++;
        }),
        options,
      );
      // The mutations must mostly break the event, or this test would compare empty lists.
      expect(rejected).toBeGreaterThan(RUNS / 2);
    });
  }

  it('page calls, and properties that are not objects', () => {
    const page = { kind: 'object', shape: PAGE_PROPERTIES } as const;
    const properties = fc.oneof(validOf(page), mutatedOf(page));
    fc.assert(
      fc.property(properties, (p) => void agreeOnMessage({ type: 'page', name: 'Home', properties: p })),
      options,
    );
    for (const p of [undefined, null, 'x', 3, [], [1], new Date(0)]) {
      agreeOnMessage({ type: 'page', properties: p });
      agreeOnMessage({ type: 'track', event: 'Quiz Started', properties: p });
    }
  });

  it('names: planned, drifted, unknown, missing', () => {
    const name = fc.oneof(
      fc.constantFrom(
        ...EVENT_NAMES,
        ...Object.keys(DRIFTED_NAMES),
        'constructor',
        'toString',
        '',
        ' ',
        'ADDED-TO-CART',
      ),
      fc.string(),
      fc.constant(undefined),
    );
    const type = fc.constantFrom('track', 'page', 'identify', 'alias', 'screen');
    fc.assert(
      fc.property(type, name, validOf({ kind: 'object', shape: shapeOf('Quiz Started') }), (t, event, properties) => {
        agreeOnMessage({ type: t, event, properties });
      }),
      options,
    );
  });

  it('identify traits and the signature payload: the same issue paths', () => {
    for (const d of [IDENTIFY_TRAITS, SIGNATURE_PAYLOAD] as Descriptor[]) {
      fc.assert(
        fc.property(validOf(d), (value) => {
          expect(dataPaths(d, value)).toEqual([]);
          expect(zodPaths(d, value)).toEqual([]);
        }),
        options,
      );
      fc.assert(
        fc.property(mutatedOf(d), (value) => {
          expect(dataPaths(d, value)).toEqual(zodPaths(d, value));
        }),
        options,
      );
    }
    // identity.ts's schema is the one built from the same data.
    expect(identifyTraitsSchema.safeParse({ first_seen_at: '2026-12-03T14:00:00+01:00' }).success).toBe(true);
    expect(identifyTraitsSchema.safeParse({ first_seen_at: '2026-12-03T14:00+01:00' }).success).toBe(false);
  });
});

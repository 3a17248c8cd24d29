import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOUNDARIES, CDP_LAYERS, type Boundary } from '../../../boundaries.config.mjs';
import { ROOT, sourceFiles, specifiers } from '../support/imports';

/**
 * The same rules as the lint (boundaries.config.mjs), checked independently of ESLint's resolver: every import
 * of the app's own code is resolved by hand (`@/` is the repository root) and matched against each boundary.
 */
const SCANNED = [
  'app',
  'components',
  'lib',
  'tests/e2e',
  'tests/example',
  'tests/fuzz',
  'proxy.ts',
  'instrumentation.ts',
];
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js', '/index.ts', '/index.tsx'];

const under = (file: string, dir: string) => dir === '.' || file === dir || file.startsWith(`${dir}/`);
const isFile = (file: string) => fs.existsSync(path.join(ROOT, file)) && fs.statSync(path.join(ROOT, file)).isFile();

/** The repository path an import points at (its file when it exists), or null for a package. */
function target(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('@/')) base = spec.slice(2);
  else if (spec.startsWith('.')) base = path.posix.join(path.posix.dirname(from), spec);
  else return null;
  if (isFile(base)) return base;
  return EXTENSIONS.map((ext) => base + ext).find(isFile) ?? base;
}

const appliesTo = (rule: Boundary, file: string) =>
  rule.files.some((f) => under(file, f)) && !(rule.exceptFiles ?? []).some((f) => under(file, f));

/** `[rule, message]` for each import of `source` (the text of `file`) that crosses a boundary. */
function violations(file: string, source: string): [Boundary, string][] {
  const rules = BOUNDARIES.filter((rule) => appliesTo(rule, file));
  return specifiers(source).flatMap((spec) => {
    const to = target(file, spec);
    if (to === null) return [];
    return rules
      .filter((rule) => rule.forbid.some((f) => under(to, f)) && !(rule.allow ?? []).some((a) => under(to, a)))
      .map((rule): [Boundary, string] => [rule, `${file} imports "${spec}": ${rule.name}`]);
  });
}

const files = SCANNED.flatMap((entry) =>
  isFile(entry) ? [entry] : sourceFiles(path.join(ROOT, entry)).map((f) => path.posix.join(entry, f)),
);

describe('architecture boundaries (boundaries.config.mjs)', () => {
  it('reads the tree it guards, and every path a rule names exists', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'lib/cdp/index.ts',
        'app/ops/(console)/page.tsx',
        'components/ops/timeline.tsx',
        'proxy.ts',
      ]),
    );
    expect(specifiers(fs.readFileSync(path.join(ROOT, 'app/ops/(console)/page.tsx'), 'utf8'))).toContain('@/lib/cdp');
    const named = BOUNDARIES.flatMap((r) => [...r.files, ...(r.exceptFiles ?? []), ...r.forbid, ...(r.allow ?? [])]);
    const missing = [...new Set(named)].filter(
      (p) => p !== '.' && p !== 'node_modules' && !fs.existsSync(path.join(ROOT, p)),
    );
    expect(missing).toEqual([]);
  });

  it('no import in the tree crosses a boundary', () => {
    const found = files.flatMap((file) =>
      violations(file, fs.readFileSync(path.join(ROOT, file), 'utf8')).map(([, message]) => message),
    );
    expect(found).toEqual([]);
  });

  it('catches the imports each rule exists to stop', () => {
    const bad: [string, string][] = [
      ['lib/tracking/ids.ts', '@/lib/env'],
      ['lib/tracking/ids.ts', '../shop/domain/pricing'],
      ['lib/common/http.ts', '@/lib/cdp/model/message'],
      ['lib/db/leases.ts', '@/lib/cdp/runtime/scheduler'],
      ['lib/db/transaction.ts', '../cdp/store/events'],
      ['lib/env.ts', '@/lib/shop/domain/regions'],
      ['lib/shop/server/orders.ts', '@/lib/cdp'],
      ['lib/cdp/read/people.ts', '@/lib/shop/domain/catalog'],
      // No exception any more: messages render from the events and traits alone (issue 10).
      ['lib/cdp/runtime/compose-message.ts', '@/lib/shop/server/restore-token'],
      ['lib/cdp/engine/subject.ts', '@/lib/db'],
      ['components/product/product-card.tsx', '@/lib/db'],
      ['app/(shop)/account/page.tsx', '@/lib/db'],
      ['app/(shop)/page.tsx', '@/lib/cdp'],
      ['proxy.ts', '@/lib/cdp'],
      ['proxy.ts', '@/lib/cdp/ops/auth'],
      ['components/cart/cart-link.tsx', '@/lib/cdp/ops/contract'],
      ['app/ops/(console)/page.tsx', '@/lib/cdp/read/people'],
      ['app/api/cron/tick/route.ts', '@/lib/cdp/ops/cron-route'],
      ['app/api/cron/tick/route.ts', '@/lib/db/leases'],
      ['components/ops/timeline.tsx', '@/lib/cdp/model/event'],
      ['tests/e2e/pipeline.spec.ts', '@/lib/cdp'],
      ['tests/example/minimal-shop.spec.ts', '@/lib/cdp/read/timeline'],
      ['tests/fuzz/ingest.test.ts', '@/lib/cdp/ingest/parse-request'],
      ['lib/shop/domain/pricing.ts', '@/lib/shop/server/orders'],
      ['lib/shop/server/orders.ts', '@/lib/shop/actions/checkout'],
      ['lib/shop/actions/cart.ts', '@/lib/shop/client/cart'],
      ['lib/shop/client/cart.ts', '@/lib/shop/server/orders'],
      // Each layer reaching one above it, by alias and by relative path.
      ...CDP_LAYERS.slice(0, -1).flatMap((layer, i): [string, string][] => [
        [`lib/cdp/${layer}/x.ts`, `@/lib/cdp/${CDP_LAYERS[i + 1]}/y`],
        [`lib/cdp/${layer}/x.ts`, `../${CDP_LAYERS.at(-1)}/route`],
      ]),
      ['lib/cdp/ops/route.ts', '@/lib/cdp'],
    ];
    const caught = bad.map(([file, spec]) => [file, spec, violations(file, `import { x } from '${spec}';`)] as const);
    expect(caught.filter(([, , v]) => v.length === 0).map(([file, spec]) => `${file} → ${spec}`)).toEqual([]);
    const rulesHit = new Set(caught.flatMap(([, , v]) => v.map(([rule]) => rule.name)));
    expect(BOUNDARIES.map((r) => r.name).filter((name) => !rulesHit.has(name))).toEqual([]);
  });

  it('lets through what the rules allow', () => {
    const good: [string, string][] = [
      ['app/ops/(console)/page.tsx', '@/lib/cdp'],
      ['app/api/cron/tick/route.ts', '@/lib/cdp'],
      ['components/ops/timeline.tsx', '@/lib/cdp/ops/contract'],
      ['proxy.ts', '@/lib/cdp/ops/console-access'],
      ['lib/cdp/runtime/scheduler.ts', '@/lib/db/leases'],
      ['lib/cdp/ingest/handle.ts', '@/lib/db/transaction'],
      ['lib/cdp/read/people.ts', '@/lib/db/dialect'],
      ['lib/env.ts', './db/url'],
      ['tests/e2e/pipeline.spec.ts', '@/lib/cdp/ops/contract'],
      ['tests/example/minimal-shop.spec.ts', '@/lib/cdp/ops/contract'],
      ['lib/cdp/ops/route.ts', '@/lib/cdp/store/profiles'],
      ['lib/cdp/engine/journeys/cart.ts', '../../model/event'],
      ['lib/shop/client/tracking.ts', '@/lib/shop/actions/checkout'],
      ['lib/tracking/ids.ts', './cookies'],
      ['lib/tracking/server.ts', 'next/headers'],
    ];
    expect(good.flatMap(([file, spec]) => violations(file, `import { x } from '${spec}';`))).toEqual([]);
  });
});

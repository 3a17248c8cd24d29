// First-load JS budget of the storefront (issue 13): for every storefront route of the last `next build`, the gzip
// size of the JavaScript a first visit loads — the framework's root chunks (build-manifest.json rootMainFiles) plus
// the chunks of every client module the route's layouts, page, loading, error and not-found files use (the
// route's client-reference manifest, entryJSFiles; the same set as the script tags of a prerendered page's HTML).
// The nomodule polyfill is left out: modern browsers skip it. Chunks loaded after hydration (the analytics SDK,
// the email popup) are not first load.
// Prints a table; exits 1, naming the routes, when one exceeds the budget. Run after `next build` (npm test does).
// Also checks that no prerendered page ships a skeleton that is swapped for the page after load (outlinedPages).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Issue 13's target, held on every storefront route: Next 16 + React 19's own first load (~138 KB) plus 5 %. About
 * 132 KB of every route is the framework's (React DOM, the router, Turbopack's runtime); the shop's layout adds ~10 KB
 * (Link, the tracking layer's queue and provider, the cart store, the header menu), then each page its own client
 * components. What shows only after hydration or a click loads then, not here: the analytics SDK, the consent
 * banner, the email popup, the cart's rows, the checkout form, the quiz result (README, "Storefront pages").
 */
export const TARGET_BYTES = 145 * 1024;

const appDir = (dist) => path.join(dist, 'server', 'app');

/** Storefront routes: every page under app/(shop), by their client-reference manifests. */
function storefrontManifests(dist) {
  const root = path.join(appDir(dist), '(shop)');
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'page_client-reference-manifest.js') found.push(full);
    }
  };
  walk(root);
  return found.sort();
}

/** The manifest file assigns globalThis.__RSC_MANIFEST[route]; evaluate it into a private object. */
function readClientManifest(file) {
  const sandbox = {};
  new Function('globalThis', fs.readFileSync(file, 'utf8'))(sandbox);
  const [[route, manifest]] = Object.entries(sandbox.__RSC_MANIFEST);
  return { route, manifest };
}

const gzipCache = new Map();
function gzipBytes(dist, chunk) {
  const file = path.join(dist, chunk.replace(/^\/?_next\//, ''));
  if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(fs.readFileSync(file), { level: 9 }).length);
  return gzipCache.get(file);
}

/** [{ route, chunks, bytes }] for every storefront page of the build in `dist` (default .next). */
export function measureFirstLoad(dist = '.next') {
  const build = JSON.parse(fs.readFileSync(path.join(dist, 'build-manifest.json'), 'utf8'));
  return storefrontManifests(dist).map((file) => {
    const { route, manifest } = readClientManifest(file);
    const chunks = new Set(build.rootMainFiles);
    for (const files of Object.values(manifest.entryJSFiles ?? {}))
      for (const chunk of files) if (chunk.endsWith('.js')) chunks.add(chunk);
    const bytes = [...chunks].reduce((sum, chunk) => sum + gzipBytes(dist, chunk), 0);
    return { route: route.replace('/(shop)', '').replace(/\/page$/, '') || '/', chunks: chunks.size, bytes };
  });
}

/** True when a pending boundary's fallback is anything but a BelowFold placeholder. */
export const hasOutlinedSkeleton = (html) =>
  [...html.matchAll(/<!--\$\?--><template id="[^"]*"><\/template>(<[^>]*>)?/g)].some(
    ([, fallback]) => !fallback?.includes('data-below-fold'),
  );

/**
 * Prerendered pages whose HTML holds a pending Suspense boundary (`<!--$?-->`): the fallback (a route's loading.tsx
 * skeleton) is painted first and the page, further down the same file, swapped in by React's script after a frame
 * or more. React 19.2 does this to a completed boundary when the shell and it come to more than 12,800 bytes
 * (progressiveChunkSize, not settable from Next): a static page then shifts its footer (CLS 0.12 on
 * /collections/serums) and paints its LCP later. A route that grows past it should lose its loading.tsx, or move what
 * is far below the fold into components/layout/below-fold.tsx's boundary: that one may be outlined (its placeholder,
 * `data-below-fold`, is what paints first, off screen).
 */
export function outlinedPages(dist = '.next') {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html') && hasOutlinedSkeleton(fs.readFileSync(full, 'utf8')))
        found.push(path.relative(appDir(dist), full));
    }
  };
  walk(appDir(dist));
  return found.sort();
}

export const kb = (bytes) => (bytes / 1024).toFixed(1);

export function budgetTable(rows) {
  const lines = [`| route | chunks | first-load JS (KB gzip) | budget ${kb(TARGET_BYTES)} |`, '|---|---|---|---|'];
  for (const r of rows) {
    const status = r.bytes > TARGET_BYTES ? `**over** by ${kb(r.bytes - TARGET_BYTES)}` : 'ok';
    lines.push(`| ${r.route} | ${r.chunks} | ${kb(r.bytes)} | ${status} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!fs.existsSync('.next/build-manifest.json')) {
    console.error('size budget: no production build in .next — run `next build` first.');
    process.exit(1);
  }
  const rows = measureFirstLoad();
  console.log(budgetTable(rows));
  const over = rows.filter((r) => r.bytes > TARGET_BYTES);
  if (rows.length === 0) {
    console.error('size budget: no storefront route found in .next/server/app/(shop)');
    process.exit(1);
  }
  if (over.length) {
    const list = over.map((r) => `${r.route} (${kb(r.bytes)} KB)`);
    console.error(`\nsize budget: over the ${kb(TARGET_BYTES)} KB first-load JS budget (gzip): ${list.join(', ')}`);
    process.exit(1);
  }
  console.log(`\nsize budget: every storefront route within ${kb(TARGET_BYTES)} KB gzip of first-load JS`);
  const outlined = outlinedPages();
  if (outlined.length) {
    console.error(
      `\nsize budget: these prerendered pages paint their loading skeleton and swap the page in after load (the ` +
        `page is over React's 12,800-byte outlining limit inside a Suspense boundary; see outlinedPages): ` +
        outlined.join(', '),
    );
    process.exit(1);
  }
  console.log('size budget: no prerendered page swaps a skeleton for its content after load');
}

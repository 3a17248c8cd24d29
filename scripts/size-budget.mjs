// First-load JS budget of the storefront (issue 13): for every storefront route of the last `next build`, the gzip
// size of the JavaScript a first visit loads — the framework's root chunks (build-manifest.json rootMainFiles) plus
// the chunks of every client module the route's layouts, page, loading, error and not-found files use (the
// route's client-reference manifest, entryJSFiles; the same set as the script tags of a prerendered page's HTML).
// The nomodule polyfill is left out: modern browsers skip it. Chunks loaded after hydration (the analytics SDK,
// the email popup) are not first load.
// Prints a table; exits 1, naming the routes, when one exceeds the budget. Run after `next build` (npm test does).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Issue 13's target: Next 16 + React 19's own first load (~138 KB) plus 5 %. New storefront routes are held to it. */
export const TARGET_BYTES = 145 * 1024;
/**
 * What npm test enforces where the target is not met yet: a ratchet ~0.5 KB above each route's figure (KB gzip, the
 * build of 2026-12-02), so nothing grows back; home, /collections and /orders/[id] meet the target (by 15 bytes). About 132.5 KB of every route is the framework's (React DOM, the
 * router, Turbopack's runtime); the rest is Link and next/form, the tracking layer and the cart store in the
 * shop's layout, then each page's own client components (README, "Storefront pages"). Lower these as the first load
 * shrinks; a route not listed here gets the target.
 */
const RATCHET_KB = {
  '/account': 146.8,
  '/account/login': 149.0,
  '/account/signup': 149.0,
  '/cart': 150.2,
  '/cart/restore/[token]': 146.8,
  '/checkout': 152.1,
  '/collections/[handle]': 148.3,
  '/products/[handle]': 149.2,
  '/quiz': 151.5,
  '/search': 145.7,
  '/unsubscribe/[token]': 147.3,
};
export const budgetFor = (route) => (Object.hasOwn(RATCHET_KB, route) ? RATCHET_KB[route] * 1024 : TARGET_BYTES);

const appDir = (dist) => path.join(dist, 'server', 'app');
// app/not-found.tsx answers URLs no route matches; a route's own pages never load it (their HTML has no script of
// it), unlike their segments' not-found, error and loading files.
const ROOT_NOT_FOUND = '[project]/app/not-found';

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
    for (const [entry, files] of Object.entries(manifest.entryJSFiles ?? {}))
      if (entry !== ROOT_NOT_FOUND) for (const chunk of files) if (chunk.endsWith('.js')) chunks.add(chunk);
    const bytes = [...chunks].reduce((sum, chunk) => sum + gzipBytes(dist, chunk), 0);
    return { route: route.replace('/(shop)', '').replace(/\/page$/, '') || '/', chunks: chunks.size, bytes };
  });
}

export const kb = (bytes) => (bytes / 1024).toFixed(1);

export function budgetTable(rows) {
  const lines = [
    `| route | chunks | first-load JS (KB gzip) | budget | target ${kb(TARGET_BYTES)} |`,
    '|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const budget = budgetFor(r.route);
    const status = r.bytes > budget ? `**over** ${kb(budget)}` : `ok (${kb(budget)})`;
    const target = r.bytes > TARGET_BYTES ? `+${kb(r.bytes - TARGET_BYTES)}` : 'met';
    lines.push(`| ${r.route} | ${r.chunks} | ${kb(r.bytes)} | ${status} | ${target} |`);
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
  const over = rows.filter((r) => r.bytes > budgetFor(r.route));
  if (rows.length === 0) {
    console.error('size budget: no storefront route found in .next/server/app/(shop)');
    process.exit(1);
  }
  if (over.length) {
    const list = over.map((r) => `${r.route} (${kb(r.bytes)} KB, budget ${kb(budgetFor(r.route))} KB)`);
    console.error(`\nsize budget: over its first-load JS budget (gzip): ${list.join(', ')}`);
    process.exit(1);
  }
  const missed = rows.filter((r) => r.bytes > TARGET_BYTES).length;
  console.log(
    `\nsize budget: every storefront route within its budget; ${missed} of ${rows.length} still above the ` +
      `${kb(TARGET_BYTES)} KB target`,
  );
}

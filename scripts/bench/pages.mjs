// Storefront pages in req/s (issue 13): home and a product page against their static limit — the same HTML bytes
// served as a static file (public/) by the same server process (Next.js in scripts/serve.mjs), through the same
// proxy — in the same run, interleaved, with autocannon over loopback. Timings are printed, never asserted.
import autocannon from 'autocannon';
import fs from 'node:fs';
import path from 'node:path';
import { machine, startShopServer } from './shop-server.mjs';

const PAGES = [
  { name: 'home', route: '/', prerendered: 'index.html' },
  { name: 'product', route: '/products/gentle-gel-cleanser', prerendered: 'products/gentle-gel-cleanser.html' },
];
const LIMIT_DIR = path.join('public', '__bench');
const CONNECTIONS = 16;

async function load(url, seconds) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { accept: 'text/html' },
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** The HTML each page is served with: the prerendered file when the build has one, else what the server answers. */
async function pageHtml(page) {
  const file = path.join('.next', 'server', 'app', page.prerendered);
  if (fs.existsSync(file)) return { html: fs.readFileSync(file), prerendered: true };
  const server = await startShopServer();
  try {
    return { html: Buffer.from(await (await fetch(`${server.url}${page.route}`)).arrayBuffer()), prerendered: false };
  } finally {
    await server.stop();
  }
}

export async function bench({ smoke = false } = {}) {
  const seconds = smoke ? 1 : 10;
  const rounds = smoke ? 1 : 2;
  const pages = [];
  for (const page of PAGES) pages.push({ ...page, ...(await pageHtml(page)) });
  fs.mkdirSync(LIMIT_DIR, { recursive: true });
  for (const page of pages) fs.writeFileSync(path.join(LIMIT_DIR, `${page.name}.html`), page.html);
  const server = await startShopServer();
  const rows = [];
  try {
    for (const page of pages) {
      const pageUrl = `${server.url}${page.route}`;
      const limitUrl = `${server.url}/__bench/${page.name}.html`;
      if (!smoke) {
        await load(pageUrl, 1); // warm-up: first renders, JIT
        await load(limitUrl, 1);
      }
      const runs = { page: [], limit: [] };
      for (let i = 0; i < rounds; i++) {
        runs.page.push(await load(pageUrl, seconds));
        runs.limit.push(await load(limitUrl, seconds));
      }
      const mean = (xs, key) => xs.reduce((s, x) => s + x[key], 0) / xs.length;
      rows.push({
        page: page.name,
        route: page.route,
        prerendered: page.prerendered,
        bytes: page.html.length,
        rps: mean(runs.page, 'rps'),
        p99: mean(runs.page, 'p99'),
        limitRps: mean(runs.limit, 'rps'),
        errors: runs.page.reduce((s, r) => s + r.errors, 0) + runs.limit.reduce((s, r) => s + r.errors, 0),
      });
    }
  } finally {
    await server.stop();
    fs.rmSync(LIMIT_DIR, { recursive: true, force: true });
  }
  const table = [
    `| page | route | prerendered | HTML bytes | req/s (${CONNECTIONS} conn.) | p99 ms | static limit req/s | ratio | errors |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.page} | \`${r.route}\` | ${r.prerendered ? 'yes' : 'no'} | ${r.bytes} | ${r.rps.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.limitRps.toFixed(0)} | ${((100 * r.rps) / r.limitRps).toFixed(0)} % | ${r.errors} |`,
    ),
  ].join('\n');
  const markdown = [
    `${machine()}, ${new Date().toISOString()}${smoke ? ' (smoke: 1 s runs, figures not meaningful)' : ''}.`,
    '',
    `Each page's limit is the same HTML served as a static file from public/ by the same server process ` +
      `(Next.js in scripts/serve.mjs, through the same proxy); page and limit alternate, ${rounds} × ${seconds} s each, after a 1 s warm-up. ` +
      'Target: ≥ 50 % of the limit.',
    '',
    table,
  ].join('\n');
  const targets = rows.map((r) => ({
    what: `${r.page} page req/s vs the static limit`,
    target: '≥ 50 %',
    measured: `${((100 * r.rps) / r.limitRps).toFixed(0)} %`,
    met: r.rps >= r.limitRps / 2,
    why: 'the prerendered HTML goes through the proxy (CSP, cookies) and Next.js routing; the limit only through the proxy',
  }));
  return { title: 'Storefront pages vs the static limit', markdown, data: rows, targets };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await bench({ smoke: process.argv.includes('--smoke') });
  console.log(`## ${result.title}\n\n${result.markdown}`);
}

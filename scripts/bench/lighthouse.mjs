// Lighthouse mobile (issue 13): home, a collection and a product page with tracking on and off, interleaved, the
// median of 7 runs each, against the limit: a minimal Next.js page (app/limit: one image and a line of text)
// served by the same server in the same run. Tracking off = the shopper declined (glowlab_consent=denied: the SDK
// never loads); on = accepted. The consent cookie is set in the browser (puppeteer, Lighthouse's own driver) before
// each run, not sent as a request header: the page reads it from document.cookie, which a header never reaches (with
// a header, "off" loaded the SDK too). Scores are printed, never asserted.
import fs from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { aptInstall } from '../ensure-browser.mjs';
import { machine, startShopServer } from './shop-server.mjs';
import { cpuBlocking, runTasks, trackingTasks } from './trace-tasks.mjs';

const PAGES = [
  { name: 'home', route: '/' },
  { name: 'collection', route: '/collections/serums' },
  { name: 'product', route: '/products/gentle-gel-cleanser' },
];
// 7, not 3: a run whose first paint the browser holds back (about 1 or 2 s after load, in the Lighthouse runs of
// this machine, tracking on or off, limit page too) moves a median of 3 by 5–10 points; and with 5, two runs of the
// bench on one build read the home page 94 then 97 with tracking off, and the product page's on − off −4 then −3
// (the simulated LCP of one page and mode moves 0.4–0.7 s between runs), where the target is 2 points. About 2 min
// more than 5 (the Lighthouse part: 292 s with 5, 405 s with 7).
const RUNS = 7;
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * One unmeasured visit of a page in a mode, as every later visitor finds the server: its route modules loaded and
 * compiled, and the pipeline's ingest warm (the first run of a page paid ~150 ms for GET /api/shop/tracking alone),
 * and the browser holding the cookies an earlier visit left (an anonymous id), as every measured run after the first
 * already did.
 */
async function warmUp(port, url, consent) {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
  try {
    await browser.setCookie({ name: 'glowlab_consent', value: consent, domain: new URL(url).hostname, path: '/' });
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'networkidle0' });
    await page.close();
  } finally {
    await browser.disconnect();
  }
}

async function audit(port, url, consent) {
  // Lighthouse clears caches and service workers between runs, never cookies.
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
  try {
    await browser.setCookie({ name: 'glowlab_consent', value: consent, domain: new URL(url).hostname, path: '/' });
  } finally {
    await browser.disconnect();
  }
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] },
    {
      extends: 'lighthouse:default',
      // Consent (the cookie above) decides whether the SDK loads, and hides the banner in both modes.
      settings: { formFactor: 'mobile' },
    },
  );
  const { categories, audits } = result.lhr;
  const trace = await runTasks(result);
  return {
    trace,
    cpuBlocking: cpuBlocking(trace.tasks),
    cpu: trace.tasks.reduce((sum, t) => sum + t.cpu, 0),
    performance: Math.round(categories.performance.score * 100),
    accessibility: Math.round(categories.accessibility.score * 100),
    tbt: audits['total-blocking-time'].numericValue,
    lcp: audits['largest-contentful-paint'].numericValue,
    // Unthrottled, as the browser painted: the simulation counts every task that ran before the observed LCP.
    observedFcp: audits.metrics.details.items[0].observedFirstContentfulPaint,
    // The browser held the first paint back until after the load event (by about 1 or 2 s when it happens).
    latePaint:
      audits.metrics.details.items[0].observedFirstContentfulPaint > audits.metrics.details.items[0].observedLoad,
  };
}

export async function bench({ smoke = false } = {}) {
  const title = 'Lighthouse mobile: tracking on / off, and the minimal-page limit';
  if (smoke) {
    // One Lighthouse run takes 15–30 s on this machine: more than the whole smoke budget.
    const markdown = 'Skipped in smoke mode: a single Lighthouse run does not fit in the 15 s smoke budget.';
    console.log(`[bench] lighthouse: ${markdown}`);
    return { title, markdown, data: { skipped: 'smoke' } };
  }
  // The e2e tests' headless shell is not enough: Lighthouse measures in the full browser (Debian's `chromium`).
  if (!fs.existsSync(CHROMIUM) && !process.env.CHROME_PATH) await aptInstall('chromium');
  if (!fs.existsSync(CHROMIUM)) {
    const markdown = `Skipped: no full Chromium at ${CHROMIUM} (\`apt-get install -y chromium\`, or set CHROME_PATH).`;
    console.log(`[bench] lighthouse: ${markdown}`);
    return { title, markdown, data: { skipped: 'no full Chromium' } };
  }
  const server = await startShopServer();
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  });
  const rows = [];
  try {
    const limit = [];
    await warmUp(chrome.port, `${server.url}/limit`, 'denied');
    for (let i = 0; i < RUNS; i++) limit.push(await audit(chrome.port, `${server.url}/limit`, 'denied'));
    for (const page of PAGES) {
      const on = [];
      const off = [];
      const url = `${server.url}${page.route}`;
      for (const consent of ['granted', 'denied']) await warmUp(chrome.port, url, consent);
      // On first in even runs, off first in odd ones: neither mode always follows the other.
      for (let i = 0; i < RUNS; i++) {
        const pair = i % 2 ? ['denied', 'granted'] : ['granted', 'denied'];
        for (const consent of pair) (consent === 'granted' ? on : off).push(await audit(chrome.port, url, consent));
      }
      // What tracking adds, per run: the on run's tasks that ran scripts its off run never loaded.
      const tracking = on.map((run, i) => trackingTasks(run.trace, off[i].trace));
      for (const run of [...on, ...off]) delete run.trace;
      rows.push({ page: page.name, route: page.route, on, off, tracking });
    }
    for (const run of limit) delete run.trace;
    rows.push({ page: 'limit (minimal page)', route: '/limit', on: limit, off: limit });
  } finally {
    await chrome.kill();
    await server.stop();
  }
  const m = (runs, key) => median(runs.map((r) => r[key]));
  // The scores of a page and mode from its lowest run to its highest: how far one run's median can sit from another's.
  const spread = (runs) => {
    const scores = runs.map((r) => r.performance);
    return `${Math.min(...scores)}–${Math.max(...scores)}`;
  };
  const late = (runs) => runs.filter((r) => r.latePaint).length;
  const limitPerf = m(rows.at(-1).on, 'performance');
  const table = [
    '| page | perf on | perf off | on − off | runs on / off | limit | off − limit | a11y | TBT on / off ms | LCP on / off ms | CPU blocking on / off ms | main-thread CPU on / off ms | first paint after load, runs on / off | tracking tasks: CPU / longest / blocking ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const on = m(r.on, 'performance');
      const off = m(r.off, 'performance');
      const tracking = r.tracking
        ? ['cpu', 'longest', 'blocking'].map((k) => m(r.tracking, k).toFixed(0)).join(' / ')
        : '—';
      return `| ${r.page} | ${on} | ${off} | ${on - off} | ${spread(r.on)} / ${spread(r.off)} | ${limitPerf} | ${off - limitPerf} | ${m(r.on, 'accessibility')} | ${m(r.on, 'tbt').toFixed(0)} / ${m(r.off, 'tbt').toFixed(0)} | ${m(r.on, 'lcp').toFixed(0)} / ${m(r.off, 'lcp').toFixed(0)} | ${m(r.on, 'cpuBlocking').toFixed(0)} / ${m(r.off, 'cpuBlocking').toFixed(0)} | ${m(r.on, 'cpu').toFixed(0)} / ${m(r.off, 'cpu').toFixed(0)} | ${late(r.on)} / ${late(r.off)} | ${tracking} |`;
    }),
  ].join('\n');
  const markdown = [
    `${machine()}, ${new Date().toISOString()}, Chromium ${CHROMIUM}.`,
    '',
    `Median of ${RUNS} runs after one unmeasured visit per page and mode, tracking on and off interleaved (each ` +
      `first in every other pair); _runs on / off_ gives each mode's lowest and highest score. Targets: ` +
      'accessibility 100; performance ≥ 95 or within 3 points of the limit; on within 2 points of off.',
    '',
    "From the trace (scripts/bench/trace-tasks.mjs), which the machine's other work moves far less than the scores: " +
      "_CPU blocking_ is Σ max(0, 4 × CPU − 50 ms) over the main thread's tasks, each task's CPU time rather than " +
      "its wall time (the blocking time of this work on the simulated phone); _tracking tasks_ are the on run's " +
      'tasks that ran scripts its off run never loaded (the SDK and the plan check), their CPU in all, the longest ' +
      "one, and their CPU blocking; _main-thread CPU_ is all its tasks' CPU. _First paint after load_ counts the " +
      'runs whose first paint the browser held back until after the load event (by about 1 or 2 s, seen in Lighthouse ' +
      'runs only, on the limit page too): Lighthouse simulates LCP from the observed paint, so such a run loses ' +
      '5–15 points whatever the page does.',
    '',
    table,
  ].join('\n');
  const targets = rows.slice(0, -1).flatMap((r) => {
    const on = m(r.on, 'performance');
    const off = m(r.off, 'performance');
    // The off row's reason quotes the off runs (it used to quote the on runs' TBT).
    const limitRuns = rows.at(-1).off;
    const why =
      `total blocking time ${m(r.off, 'tbt').toFixed(0)} ms vs the limit's ${m(limitRuns, 'tbt').toFixed(0)} ms ` +
      `(hydrating React and the page's client code on a 4× slowed CPU); LCP ${m(r.off, 'lcp').toFixed(0)} ms vs ` +
      `${m(limitRuns, 'lcp').toFixed(0)} ms: Lighthouse simulates LCP from the observed load, counting every task ` +
      `that ran before it, and the browser painted first at ${m(r.off, 'observedFcp').toFixed(0)} ms ` +
      `(limit ${m(limitRuns, 'observedFcp').toFixed(0)} ms)`;
    return [
      {
        what: `${r.page}: accessibility`,
        target: '100',
        measured: String(m(r.on, 'accessibility')),
        met: m(r.on, 'accessibility') === 100,
      },
      {
        what: `${r.page}: performance (tracking off)`,
        target: `≥ 95 or ≥ ${limitPerf - 3} (limit − 3)`,
        measured: String(off),
        met: off >= 95 || off >= limitPerf - 3,
        why,
      },
      {
        what: `${r.page}: tracking on vs off`,
        target: '≥ off − 2',
        measured: `${on - off >= 0 ? '+' : ''}${on - off}`,
        met: on >= off - 2,
        why:
          `tracking adds ${m(r.tracking, 'cpu').toFixed(0)} ms of main-thread CPU after hydration (longest task ` +
          `${m(r.tracking, 'longest').toFixed(0)} ms, ${m(r.tracking, 'blocking').toFixed(0)} ms of blocking on the ` +
          "simulated phone): mostly the Customer.io SDK's own module evaluation, creation and per-call timers (the " +
          `plan check has been zod-free since wave 15); first paint held back until after load in ${late(r.on)} of ` +
          `${RUNS} on runs and ${late(r.off)} of ${RUNS} off runs; the runs scored ${spread(r.on)} on and ` +
          `${spread(r.off)} off`,
      },
    ];
  });
  return { title, markdown, data: rows, targets };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await bench({ smoke: process.argv.includes('--smoke') });
  console.log(`## ${result.title}\n\n${result.markdown}`);
}

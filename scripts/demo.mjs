// `npm run demo`: the cart-recovery story end to end on a fresh database and a manual pipeline clock.
// Builds if needed, starts the shop, drives headless Chromium through the seed's scenario, advances the
// clock, runs the journeys, prints a narrated log with links and saves screenshots in demo-output/.
// The server then keeps running for exploration; `--exit` stops it at the end.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.mjs';
import { ensureChromium } from './ensure-browser.mjs';
import {
  anonymousIdOf,
  browseAndAbandon,
  BUNDLE,
  createAccount,
  eventually,
  opsClient,
  prepareShopper,
} from './demo-scenario.mjs';
import { startDemoServer } from './demo-server.mjs';
import { freePortSync } from './free-port.mjs';
import { ensureBuild, SERVER_SCRIPT } from './next-build.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const EXIT = process.argv.includes('--exit');
const OUT = 'demo-output';
const say = (text = '') => console.log(text);
const step = (time, text) => say(`  ${time}  ${text}`);

// The browser first: a machine without one learns it before waiting for a build.
if (!(await ensureChromium())) process.exit(1);
ensureBuild();

const portFree = (port) =>
  new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
const port = (await portFree(3000)) ? 3000 : freePortSync();
const base = `http://localhost:${port}`;
const token = crypto.randomBytes(18).toString('base64url');
const strategy = process.env.CART_RECOVERY_STRATEGY ?? 'lookback';

const serverLog = [];
let browser;
// Its temporary folder (the database) is removed however the demo ends: stop(), Ctrl+C, a failure.
const { dataDir, server, stop } = startDemoServer({
  script: SERVER_SCRIPT,
  args: ['-p', String(port)],
  env: { APP_URL: base, CDP_CLOCK: 'manual', OPS_TOKEN: token, CART_RECOVERY_STRATEGY: strategy },
  beforeStop: () => browser?.close(),
  onServerFailed: () => console.error(serverLog.join('')),
});
for (const stream of [server.stdout, server.stderr]) stream.on('data', (d) => serverLog.push(String(d)));

try {
  await eventually('the server to start', async () => (await fetch(`${base}/`).catch(() => null))?.ok, 120_000);
  const ops = opsClient(base, token);
  // The story starts at 21:28 UTC (the next one from now, so the clock never runs behind the browser's).
  const start = new Date();
  start.setUTCHours(21, 28, 0, 0);
  if (start < new Date()) start.setUTCDate(start.getUTCDate() + 1);
  await ops.post('clock', { set: start.toISOString() });
  const hhmm = async () => (await ops.get('clock')).now.slice(11, 16);

  say(
    `\nGlowlab cart-recovery demo — ${base} (fresh database in ${dataDir}, manual clock, live strategy: ${strategy})\n`,
  );
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const phone = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  await prepareShopper(phone, base);
  const shop = await phone.newPage();

  await browseAndAbandon(shop, { pause: () => ops.post('clock', { advance: '1m' }) });
  const anonymousId = await anonymousIdOf(phone);
  await eventually('the anonymous add to cart', async () =>
    (await ops.get(`anonymous/${anonymousId}`)).events.some((e) => e.name === 'Added to Cart'),
  );
  step(
    await hhmm(),
    `An anonymous visitor lands from TikTok (utm_source=tiktok), views 2 products, adds the ${BUNDLE.name} bundle and leaves.`,
  );
  step('', `Anonymous id ${anonymousId}: no email, so no journey can write to them yet.`);
  await ops.post('journeys/run');

  await ops.post('clock', { advance: '2h59m' });
  const email = `ada-${Date.now().toString(36)}@example.com`;
  await createAccount(await phone.newPage(), { name: 'Ada Lovelace', email, password: 'glowlab demo password' });
  const person = await eventually(
    'the identify',
    async () => (await ops.get(`people?email=${encodeURIComponent(email)}`)).people[0],
  );
  step(
    await hhmm(),
    `Next day, she creates an account as ${email}: identify(${person.id}) stitches her anonymous history.`,
  );
  await ops.post('journeys/run');

  await ops.post('clock', { advance: '1h' });
  const { messages } = await ops.get(`outbox?to=${encodeURIComponent(email)}`);
  const { journeys } = await ops.get('journeys');
  step(await hhmm(), 'One hour later the journeys run:');
  for (const j of journeys.filter((x) => x.group === 'cart-recovery')) {
    const reasons = Object.entries(j.reasons)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    step(
      '',
      `  ${j.mode.padEnd(6)} ${j.name}: entered ${j.entered}, held ${j.held}, sent ${j.sent}, exited ${j.exited}, failed ${j.failed}${reasons ? ` (${reasons})` : ''}`,
    );
  }
  const message = messages.find((m) => m.restore_url);
  // Live event-triggered, this story mails nothing by design (README, the strategies table): it is the mistake shown.
  if (!message && strategy !== 'event')
    throw new Error(`No cart recovery email in the outbox (strategy ${strategy}): see ${base}/ops/journeys`);
  if (message)
    step(
      '',
      `Outbox: ${messages.length} email${messages.length === 1 ? '' : 's'} to ${message.to} — “${message.subject}”.`,
    );
  else
    step(
      '',
      'Outbox: no email. The live event-triggered journey entered on the anonymous add, when there was no email, ' +
        'and failed no_email: the common mistake. The shadow strategies above would have sent one.',
    );

  // Afresh: a run without an email must not leave the last run's email.png beside its own screenshots.
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const consoleContext = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 1000 } });
  await prepareShopper(consoleContext, base);
  const consolePage = await consoleContext.newPage();
  await consolePage.goto(`/api/ops/session?token=${token}`);
  const shots = [
    ['timeline', `/ops/people/${encodeURIComponent(person.id)}`],
    ['journeys', '/ops/journeys'],
    ...(message ? [['email', `/ops/outbox/${encodeURIComponent(message.id)}`]] : []),
  ];
  for (const [name, url] of shots) {
    await consolePage.goto(url);
    await consolePage.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  }
  if (message) {
    // The email's link on another device: a fresh browser with an empty cart.
    const laptop = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    await prepareShopper(laptop, base);
    const restore = await laptop.newPage();
    await restore.goto(message.restore_url);
    await restore.getByRole('button', { name: 'Restore this cart' }).click();
    await restore.waitForURL(/\/cart$/);
    await restore.getByRole('list', { name: 'Cart items' }).waitFor();
    await restore.screenshot({ path: path.join(OUT, 'restored-cart.png'), fullPage: true });
    shots.push(['restored-cart']);
    step('', 'The email’s “Return to my cart” link rebuilds the bundle in a fresh browser (tracked as Cart Restored).');
  }

  say('\nSee for yourself (the first link signs the browser in to the ops console):');
  say(`  Ops console        ${base}/ops?token=${token}`);
  say(`  Stitched timeline  ${base}/ops/people/${encodeURIComponent(person.id)}`);
  say(`  Journey comparison ${base}/ops/journeys`);
  if (message) {
    say(`  Recovery email     ${base}/ops/outbox/${encodeURIComponent(message.id)}`);
    say(`  Restore link       ${message.restore_url}`);
  }
  say(`Screenshots: ${shots.map(([n]) => `${OUT}/${n}.png`).join(', ')}`);
  await browser.close();
  browser = undefined;
  if (EXIT) await stop(0);
  say(`\nThe shop keeps running at ${base} with the manual clock (POST /api/ops/clock to move it). Ctrl+C to stop.`);
} catch (error) {
  console.error(`\nDemo failed: ${error.message}`);
  await stop(1);
}

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { anonymousResponse, outboxResponse, peopleResponse } from '@/lib/cdp/ops/contract';
import { BUNDLE, browseAndAbandon, createAccount, eventually, opsClient } from '../../scripts/demo-scenario.mjs';
import { freePortSync } from '../../scripts/free-port.mjs';
import { uniqueEmail } from './support/shop';
import { anonymousIdCookie, shopperContext } from './support/tracking';

// README "Deploy" → "A VM or a container", followed: the standalone folder copied somewhere else with public/
// and .next/static beside it, started with `node server.js` and nothing from the repository (no node_modules,
// no sources), on its default SQLite database. Ops answers are parsed with their schemas in lib/cdp/ops/contract.ts.
const TOKEN = 'standalone-ops-token-0123456789';
let server: ChildProcess | undefined;
let dir: string;
let base: string;
const log: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(fs.existsSync('.next/standalone/server.js'), 'run `next build` first (output: standalone)').toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-standalone-'));
  const app = path.join(dir, 'app');
  fs.cpSync('.next/standalone', app, { recursive: true });
  fs.cpSync('public', path.join(app, 'public'), { recursive: true });
  fs.cpSync('.next/static', path.join(app, '.next/static'), { recursive: true });
  const port = freePortSync();
  base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['server.js'], {
    cwd: app,
    // Only what the README lists; nothing inherited from the test runner.
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      APP_URL: base,
      OPS_TOKEN: TOKEN,
      CDP_CLOCK: 'manual',
      NEXT_TELEMETRY_DISABLED: '1',
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (d) => log.push(String(d)));
  await eventually(
    'the standalone server to answer',
    async () => (await fetch(base).catch(() => null))?.ok,
    90_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; its output:\n${log.join('')}`);
  });
});

test.afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the standalone folder alone serves the shop, stores events, answers the ops API and renders emails', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const ops = opsClient(base, TOKEN);
  const context = await shopperContext(browser, base);
  const page = await context.newPage();
  await page.goto(`/products/${BUNDLE.handle}`);
  await expect(page.getByRole('heading', { level: 1, name: BUNDLE.name })).toBeVisible();
  // public/ (product images) and .next/static (the client bundle) are served from the copied folder.
  const image = page.locator('main img').first();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // The browser SDK posts Product Viewed; the ops API reads it back from the standalone server's database.
  const anonymousId = (await anonymousIdCookie(context))!;
  await expect
    .poll(async () => anonymousResponse.parse(await ops.get(`anonymous/${anonymousId}`)).events.map((e) => e.name))
    .toContain('Product Viewed');

  // The cart-recovery email is rendered from Liquid templates read from disk at run time.
  await browseAndAbandon(page);
  const email = uniqueEmail('standalone');
  await createAccount(page, { name: 'Ada Lovelace', email, password: 'correct horse battery' });
  await expect
    .poll(async () => peopleResponse.parse(await ops.get(`people?email=${encodeURIComponent(email)}`)).people)
    .toHaveLength(1);
  await ops.post('journeys/run');
  await ops.post('clock', { advance: '2h' });
  const { messages } = outboxResponse.parse(await ops.get(`outbox?to=${encodeURIComponent(email)}`));
  expect(messages).toHaveLength(1);
  expect(messages[0]!.html).toContain(BUNDLE.name);
  await context.close();
  expect(log.join('')).not.toMatch(/ENOENT|Error:/);
  // Composed on the thread the build bundles for it (lib/cdp/runtime/message-composer.ts), copied with the folder.
  expect(log.join('')).not.toContain('the composing thread failed');
});

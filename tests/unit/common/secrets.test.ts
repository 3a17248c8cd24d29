import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { matchingSecret, persistentSecret } from '@/lib/common/secrets';
import { resetEnvCache } from '@/lib/env';

const CHILD = path.resolve(__dirname, '../support/secret-process.mjs');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** `count` app processes with no APP_SECRET, on one fresh data folder, asking for the secret at the same moment. */
async function firstStarts(count: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-secret-'));
  dirs.push(dir);
  const soon = path.join(dir, 'soon');
  const go = path.join(dir, 'go');
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'data', 'shop.db')}` };
  delete env.APP_SECRET;
  const outputs = Array.from({ length: count }, (_, i) => {
    const child = spawn(process.execPath, [CHILD, path.join(dir, `ready-${i}`), soon, go], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    return new Promise<string>((resolve, reject) =>
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`)))),
    );
  });
  const allReady = () => Array.from({ length: count }, (_, i) => path.join(dir, `ready-${i}`)).every(fs.existsSync);
  while (!allReady()) await new Promise((r) => setTimeout(r, 20));
  // Every process spins from `soon` on, so `go` finds them all running.
  fs.writeFileSync(soon, '');
  await new Promise((r) => setTimeout(r, 100));
  fs.writeFileSync(go, '');
  return { values: await Promise.all(outputs), file: path.join(dir, 'data', 'app-secret') };
}

it('a generated secret is one value for every process that starts at once, kept in a file only the owner reads', async () => {
  const { values, file } = await firstStarts(6);
  expect(values[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(new Set(values)).toEqual(new Set([values[0]]));
  expect(fs.readFileSync(file, 'utf8').trim()).toBe(values[0]);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
}, 60_000);

it('never uses an empty secret file (one another process created but has not written): it names the file instead', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-secret-'));
  dirs.push(dir);
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = `file:${path.join(dir, 'shop.db')}`;
  resetEnvCache();
  try {
    fs.writeFileSync(path.join(dir, 'app-secret'), '\n', { mode: 0o600 });
    expect(() => persistentSecret('app-secret', undefined)).toThrow(`${path.join(dir, 'app-secret')} is empty`);
  } finally {
    process.env.DATABASE_URL = saved;
    resetEnvCache();
  }
});

it('matchingSecret names which of the secrets was given (the first of equal ones), or none, however many it has seen', () => {
  expect(matchingSecret('server-key', ['server-key', 'browser-key'])).toBe(0);
  expect(matchingSecret('browser-key', ['server-key', 'browser-key'])).toBe(1);
  expect(matchingSecret('browser-ke', ['server-key', 'browser-key'])).toBe(-1);
  expect(matchingSecret('same', ['same', 'same'])).toBe(0);
  // Past the digests it keeps, it starts over and still answers the same.
  for (let i = 0; i < 40; i++) expect(matchingSecret(`key-${i}`, [`key-${i}`, 'browser-key'])).toBe(0);
  expect(matchingSecret('browser-key', ['server-key', 'browser-key'])).toBe(1);
});

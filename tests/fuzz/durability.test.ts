import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { startServer } from './support/server';

/**
 * Nothing acknowledged is lost: senders post browser batches to a production server as fast as it answers, the
 * server is killed with SIGKILL mid-stream, and every call it had answered 200 for must be in the database. Then
 * the server starts again on that database and serves. The figures go to the README's security section.
 */
const SENDERS = Number(process.env.DURABILITY_SENDERS ?? 16);
const BATCH = 25;
/** The kill comes once this many calls were acknowledged, with every sender's next batch in flight. */
const KILL_AFTER_CALLS = Number(process.env.DURABILITY_KILL_AFTER_CALLS ?? 5_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-durability-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function batchOf(sender: number, round: number) {
  const anonymousId = `durability-${sender}-${crypto.randomUUID()}`;
  return Array.from({ length: BATCH }, (_, i) => ({
    type: 'page',
    name: 'Home',
    anonymousId,
    messageId: `durability-${sender}-${round}-${i}-${crypto.randomUUID()}`,
    properties: { path: '/', url: 'http://127.0.0.1/' },
  }));
}

it('every call answered 200 before a SIGKILL is stored, and the server starts again on that database', async () => {
  const dbPath = path.join(dir, 'durability.db');
  // Sixteen senders on one address, as fast as the server answers: the rate limit would stop them first.
  const server = await startServer(dbPath, { CDP_RATE_LIMIT: 'off' });
  const writeKey = server.env.CDP_WRITE_KEY;
  const acknowledged: string[] = [];
  let refused = 0;

  // Each sender posts one batch after another until its connection fails (the kill), counting what was answered.
  const started = Date.now();
  const senders = Array.from({ length: SENDERS }, async (_, sender) => {
    for (let round = 0; ; round++) {
      const batch = batchOf(sender, round);
      try {
        const res = await fetch(`${server.origin}/api/cdp/v1/b`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ writeKey, batch }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as { success?: boolean };
        if (res.status === 200 && body.success === true) acknowledged.push(...batch.map((c) => c.messageId));
        else refused++;
      } catch {
        return; // the server is gone: nothing more is acknowledged
      }
    }
  });
  while (acknowledged.length < KILL_AFTER_CALLS && refused === 0 && Date.now() - started < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  const killedAfter = (Date.now() - started) / 1000;
  await exited;
  await Promise.all(senders);

  expect(refused, 'every valid batch was acknowledged until the kill').toBe(0);
  expect(acknowledged.length, 'calls acknowledged before the kill').toBeGreaterThanOrEqual(KILL_AFTER_CALLS);

  // Read after the crash, as the next process would (SQLite replays its write-ahead log on open).
  const db = new Database(dbPath);
  const stored = new Set(
    db.prepare("select message_id from cdp_events where message_id like 'durability-%'").pluck().all() as string[],
  );
  db.close();
  const lost = acknowledged.filter((id) => !stored.has(id));
  console.log(
    `[durability] ${acknowledged.length} calls acknowledged by ${SENDERS} senders in batches of ${BATCH} over ` +
      `${killedAfter.toFixed(1)} s (${Math.round(acknowledged.length / killedAfter)}/s), then SIGKILL; ` +
      `${acknowledged.length - lost.length} of ${acknowledged.length} stored, ${lost.length} lost`,
  );
  expect(lost).toEqual([]);

  const again = await startServer(dbPath);
  try {
    const page = await fetch(again.origin);
    expect(page.status).toBe(200);
    const call = batchOf(0, -1).slice(0, 1);
    const res = await fetch(`${again.origin}/api/cdp/v1/b`, {
      method: 'POST',
      body: JSON.stringify({ writeKey, batch: call }),
    });
    expect(res.status).toBe(200);
  } finally {
    again.child.kill('SIGTERM');
  }
});

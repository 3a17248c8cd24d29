import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePortSync } from '../../../scripts/free-port.mjs';
import { pipelineServer } from '../../e2e/support/pipeline-server';
import { fuzzSettings } from './settings';

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzServer: { origin: string; opsToken: string; writeKey: string; log: string; counts: string };
  }
}

/** How long the server may take to answer a body that stops short: short, so the raw-socket property is quick. */
const BODY_TIMEOUT_MS = 2_000;

/** A production server of this build (scripts/serve.mjs, as the e2e suite runs it) on a free port, logging to a file. */
export async function startServer(dbPath: string, extra: Record<string, string> = {}) {
  const root = path.resolve(__dirname, '../../..');
  if (!fs.existsSync(path.join(root, '.next/BUILD_ID'))) {
    throw new Error('The fuzz suite drives a production build: run `npx next build` first');
  }
  const port = freePortSync();
  process.env.E2E_OPS_TOKEN ??= 'fuzz-ops-token-0123456789';
  process.env.E2E_WRITE_KEY ??= 'fuzz-write-key';
  process.env.E2E_SERVER_WRITE_KEY ??= 'fuzz-server-write-key-0123456789';
  const server = pipelineServer(port, dbPath, { NEXT_TELEMETRY_DISABLED: '1', ...extra });
  const log = `${dbPath}.log`;
  const out = fs.openSync(log, 'a');
  const [command, ...args] = server.command.split(' ');
  const child = spawn(command === 'node' ? process.execPath : command!, args, {
    cwd: server.cwd,
    env: { ...process.env, ...server.env },
    stdio: ['ignore', out, out],
  });
  await waitUntilServing(server.url, child);
  return { origin: `http://127.0.0.1:${port}`, child, log, env: server.env };
}

/**
 * One server with a fresh database for every fuzz file; stopped after the last, printing how many requests the
 * suite sent.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-fuzz-'));
  // Without the ingest rate limit: every request comes from 127.0.0.1, and a larger FUZZ_RUNS would reach it and
  // answer 429 where a property expects the pipeline's own answer. rate-limit.test.ts runs a server with it.
  const server = await startServer(path.join(dir, 'fuzz.db'), {
    REQUEST_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    CDP_RATE_LIMIT: 'off',
  });
  const counts = path.join(dir, 'counts.jsonl');
  project.provide('fuzzServer', {
    origin: server.origin,
    opsToken: server.env.OPS_TOKEN,
    writeKey: server.env.CDP_WRITE_KEY,
    log: server.log,
    counts,
  });

  return async () => {
    server.child.kill('SIGTERM');
    printCounts(counts);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

async function waitUntilServing(url: string, child: ReturnType<typeof spawn>) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} before serving`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`The server did not answer ${url} within 120 s`);
}

function printCounts(file: string) {
  if (!fs.existsSync(file)) return;
  const lines = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; requests: number });
  const total = lines.reduce((sum, l) => sum + l.requests, 0);
  const { runs, seed } = fuzzSettings();
  console.log(
    `\nFuzz: ${total} requests (${lines.map((l) => `${l.file} ${l.requests}`).join(', ')}); ` +
      `FUZZ_RUNS=${runs}, FUZZ_SEED=${seed}`,
  );
}

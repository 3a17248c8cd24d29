import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run demo` left its temporary folder (its database, glowlab-demo-*) in /tmp on every run. scripts/demo.mjs
// starts its server through scripts/demo-server.mjs, which removes the folder however the demo ends. Driven in a
// process of its own (it installs signal and exit handlers), with a stand-in server that writes to its database until
// it exits, as the real one does.
const helper = fileURLToPath(new URL('../../../scripts/demo-server.mjs', import.meta.url));
const standIn = fileURLToPath(new URL('./fixtures/demo-stand-in-server.mjs', import.meta.url));
const demo = `
  const [helper, script, ending] = process.argv.slice(1);
  const { startDemoServer } = await import(helper);
  const { dataDir, server, stop } = startDemoServer({ script, beforeStop: () => console.log('browser closed') });
  console.log(JSON.stringify({ dataDir, pid: server.pid }));
  server.stdout.on('data', (chunk) => {
    if (!String(chunk).includes('ready')) return;
    console.log('started');
    if (ending === 'success') void stop(0);
    if (ending === 'failure') void stop(1);
    if (ending === 'crash') throw new Error('an uncaught error');
  });
`;

type Ending = 'success' | 'failure' | 'crash' | 'ctrl-c' | 'server-fails';

/** Runs the stand-in demo to its end; Ctrl+C is SIGINT to its whole process group, as a terminal sends it. */
async function runDemo(ending: Ending) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', demo, helper, standIn, ending], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...(ending === 'server-fails' && { STAND_IN_FAIL: '1' }) },
  });
  let out = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    if (ending === 'ctrl-c' && String(chunk).includes('started')) process.kill(-child.pid!, 'SIGINT');
  });
  child.stderr!.resume();
  const [code] = await once(child, 'exit');
  const { dataDir, pid } = JSON.parse(out.split('\n')[0]!) as { dataDir: string; pid: number };
  return { code: code as number | null, out, dataDir, serverAlive: alive(pid) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm run demo's temporary folder", () => {
  const endings: [Ending, number][] = [
    ['success', 0],
    ['failure', 1],
    ['ctrl-c', 0],
    ['server-fails', 1],
    ['crash', 1],
  ];
  for (const [ending, exitCode] of endings)
    it(`is removed, its server stopped first, when the demo ends: ${ending}`, async () => {
      const run = await runDemo(ending);
      expect(run.code).toBe(exitCode);
      expect(fs.existsSync(run.dataDir)).toBe(false);
      expect(run.dataDir).toMatch(/glowlab-demo-/);
      if (ending !== 'crash') expect(run.serverAlive).toBe(false);
      if (['success', 'failure', 'ctrl-c'].includes(ending)) expect(run.out).toContain('browser closed');
    });
});

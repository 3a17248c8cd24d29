// `npm start`: build once if there is no production build yet, then serve the shop on $PORT (default 3000).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const next = 'node_modules/next/dist/bin/next';

if (!fs.existsSync('.next/BUILD_ID') || process.argv.includes('--rebuild')) {
  console.log('No production build yet: running `next build` (about a minute)…');
  const built = spawnSync(process.execPath, [next, 'build'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const port = process.env.PORT ?? '3000';
const child = spawn(process.execPath, [next, 'start', '-p', port], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));

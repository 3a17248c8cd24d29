// `npm start`: build once if there is no production build yet, then serve the shop on $PORT (default 3000).
import { spawn } from 'node:child_process';
import { ensureBuild, NEXT_BIN } from './next-build.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
ensureBuild();

const port = process.env.PORT ?? '3000';
// In place, so data/ and relative DATABASE_URL paths stay where they were; .next/standalone is the deploy artefact.
console.log(
  '[start] Serving the build in place with `next start`. Its standalone warning is about deploys: those run ' +
    '`node .next/standalone/server.js` (README, "Deploy").',
);
const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', port], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));

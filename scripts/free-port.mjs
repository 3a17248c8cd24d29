import { execFileSync } from 'node:child_process';

/** A free TCP port on loopback, found synchronously (Playwright configs are loaded synchronously). */
export function freePortSync() {
  const out = execFileSync(process.execPath, [
    '-e',
    // stdout.write, not console.log: with FORCE_COLOR set (Playwright workers) console.log colours the number.
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]);
  return Number(String(out).trim());
}

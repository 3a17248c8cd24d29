import { execFileSync } from 'node:child_process';

/** A free TCP port on loopback, found synchronously (Playwright configs are loaded synchronously). */
export function freePortSync() {
  const out = execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ]);
  return Number(String(out).trim());
}

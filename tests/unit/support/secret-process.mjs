// One app process at its first start, for tests/unit/common/secrets.test.ts: it loads the real lib/common/secrets.ts
// (through jiti, with the app's `@/` alias), says it is ready, waits for the start signal (a file), then asks for
// the generated secret and prints it. Several of these started together are several instances starting at once.
// It sleeps until every sibling is ready (the `soon` file: spinning then would starve the ones still loading on a
// small machine), and spins only for the last moment before `go`.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';

const [ready, soon, go] = process.argv.slice(2);
const jiti = createJiti(import.meta.url, {
  alias: {
    '@': fileURLToPath(new URL('../../..', import.meta.url)),
    'server-only': fileURLToPath(new URL('./server-only.ts', import.meta.url)),
  },
});
const { persistentSecret } = await jiti.import('@/lib/common/secrets');
// Warm every path the secret takes (settings, data folder, crypto) on the other secret, so the race is only the file.
persistentSecret('ops-token', undefined);
fs.writeFileSync(ready, '');
const pause = new Int32Array(new SharedArrayBuffer(4));
while (!fs.existsSync(soon) && !fs.existsSync(go)) Atomics.wait(pause, 0, 0, 2);
while (!fs.existsSync(go)) {
  // spin: the point is that every process reaches the secret at the same moment
}
process.stdout.write(persistentSecret('app-secret', undefined));

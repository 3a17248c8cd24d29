// React's own reply decoder (the one Next decodes a server action's arguments with), for
// tests/unit/common/server-action-request.test.ts: it loads only under the `react-server` condition, so it runs in a
// process of its own. Reads a JSON list of bodies on stdin (a string, or [name, value] pairs for a multipart body)
// and prints, for each, "ok" or the message the decoder threw.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  decodeReply,
} = require('next/dist/compiled/react-server-dom-turbopack/cjs/react-server-dom-turbopack-server.node.production.js');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const bodies = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const asForm = (entries) => {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return form;
};
// A reference to a part that never comes waits for the end of the body, then throws "Connection closed".
const results = [];
for (const body of bodies) {
  try {
    await decodeReply(typeof body === 'string' ? body : asForm(body), {});
    results.push('ok');
  } catch (err) {
    results.push(String(err?.message ?? err));
  }
}
process.stdout.write(JSON.stringify(results));

// `npm start`: build once if there is no production build yet, then serve the shop on $PORT (default 3000).
import { ensureBuild } from './next-build.mjs';
import { parseServeArgs, serve } from './serve.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
// PORT is checked before a build that may take a minute.
const options = parseServeArgs([]);
ensureBuild();

// In place, so data/ and relative DATABASE_URL paths stay where they were; .next/standalone is the deploy artefact.
// scripts/serve.mjs: Next.js, with the ingest API answered before it.
await serve(options);

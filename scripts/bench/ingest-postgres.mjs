// Ingest on PostgreSQL against its limit: the production server (DATABASE_URL a throwaway PostgreSQL database,
// scripts/postgres.mjs as the test suites get it) driven by autocannon on the three ingest paths, side by side with
// the `pg` package alone inserting the same rows into the same schema, one transaction per request's calls, with
// as many clients at once as the path has senders. Skipped, with the reason, when PostgreSQL cannot be started.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDatabase, providePostgres } from '../postgres.mjs';
import { fmt, INGEST_PATHS, makeCall, measureIngest, requestCalls, rowOf } from './ingest.mjs';
import { processCpuSeconds, startServer } from './support/server.mjs';

const TITLE = 'Ingest on PostgreSQL';

/**
 * CPU seconds of every PostgreSQL process (backends, the WAL writer…) since `since` (a previous reading), from
 * /proc: the database server's share of a measurement, which the app server's own figure leaves out.
 */
async function postgresCpu(client, since = new Map()) {
  const { rows } = await client.query('select pid from pg_stat_activity');
  const now = new Map(rows.map(({ pid }) => [pid, processCpuSeconds(pid)]));
  let seconds = 0;
  for (const [pid, cpu] of now) if (cpu !== undefined) seconds += cpu - (since.get(pid) ?? 0);
  return { now, seconds };
}

/**
 * The limit: `senders` clients of the `pg` package, each inserting one request's rows at a time into `cdp_events`
 * (the server's schema: its migrations ran on this database) for `seconds`: one insert per row (a prepared
 * statement, as the server's), in a transaction of their own (a single call is one autocommitted insert).
 */
async function measureRawLimit({ url, path: endpoint, senders, batch, client, seconds, admin }) {
  const columns = Object.keys(rowOf(makeCall({ runId: 'x', seq: 0, client }), '', 'client'));
  const text = `insert into cdp_events (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
  const clients = Array.from({ length: senders }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  const runId = `raw-${endpoint}-${Date.now().toString(36)}`;
  const source = client === 'node' ? 'server' : 'client';
  let next = 0;
  let events = 0;
  try {
    const cpu = await postgresCpu(admin);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      clients.map(async (c) => {
        while (performance.now() < deadline) {
          const now = new Date().toISOString();
          const first = next;
          next += batch;
          const rows = requestCalls({ batch, client }, runId, first, now).map((call) => rowOf(call, now, source));
          const insert = (row) => c.query({ name: 'raw-insert', text, values: Object.values(row) });
          if (batch === 1) await insert(rows[0]);
          else {
            await c.query('begin');
            for (const row of rows) await insert(row);
            await c.query('commit');
          }
          events += batch;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const { seconds: pgSeconds } = await postgresCpu(admin, cpu.now);
    return { events, eventsPerSecond: events / elapsed, pgCpuMsPerEvent: (pgSeconds * 1000) / events };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * The database's rolled-back transactions so far (each a failed attempt the server ran again: a serialization
 * conflict) and its CPU (postgresCpu). Backends report their counts once idle for a moment (PostgreSQL's
 * statistics are flushed at most once a second), hence the wait.
 */
async function postgresCounters(client, smoke, since) {
  if (!smoke) await new Promise((resolve) => setTimeout(resolve, 1_100));
  const { rows } = await client.query('select xact_rollback from pg_stat_database where datname = current_database()');
  return { rollbacks: Number(rows[0].xact_rollback), cpu: await postgresCpu(client, since?.now) };
}

function markdownOf({ smoke, rows, seconds }) {
  const table = [
    '| path | senders | calls/request | events/s | p50 ms | p99 ms | failed | attempts rolled back per request | server CPU ms/event | PostgreSQL CPU ms/event | raw limit events/s | raw PostgreSQL CPU ms/event | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| \`/${r.path}\` | ${r.senders} | ${r.batch} | ${fmt(r.eventsPerSecond)} | ${r.p50} | ${r.p99} | ${r.failed} | ` +
        `${fmt(r.rollbacksPerRequest, 2)} | ${fmt(r.cpuMsPerEvent, 3)} | ${fmt(r.pgCpuMsPerEvent, 3)} | ` +
        `${fmt(r.limit.eventsPerSecond)} | ${fmt(r.limit.pgCpuMsPerEvent, 3)} | ${fmt(r.ratio * 100)} % |`,
    ),
  ];
  return [
    `${smoke ? 'Smoke run (a few requests per path: figures are not meaningful). ' : ''}` +
      'The same three paths, calls and senders as the SQLite section, against the production server with ' +
      '`DATABASE_URL` a PostgreSQL database (a throwaway server started as the test suites start one, ' +
      'scripts/postgres.mjs: `fsync` and `synchronous_commit` off, so no figure here waits on a disk), ' +
      `${smoke ? 'for a few requests' : `for ${seconds} s`} per path after a warm-up. The limit: the \`pg\` package ` +
      "alone inserting the same rows into the server's own `cdp_events` (its migrations applied) once the server " +
      "is idle, one transaction per request's calls (one prepared insert per row, as the server's; a single call " +
      'autocommitted), with as many clients at once as the path has senders: PostgreSQL runs writers side by side ' +
      '(where SQLite has one writer), so its limit is measured with the concurrency the server gets. Both share the ' +
      "2 cores with the database server (and autocannon with the app's server). Server CPU is the app's Node " +
      'process, PostgreSQL CPU every PostgreSQL process (from /proc), per event stored; attempts rolled back are ' +
      "the database's rolled-back transactions per request answered (serialization conflicts the server ran again). " +
      "At 32 senders the limit runs 32 backends on the 2 cores where the server's pool runs at most 10 " +
      "(`DATABASE_POOL_MAX`), which costs PostgreSQL more per row than it gains: `/b`'s limit can come out near or " +
      'below the server.',
    '',
    ...table,
    '',
    'Where the gap goes (lib/cdp/README.md, "On PostgreSQL"): every statement is a round trip, a socket write and ' +
      "read on both sides, and the server's transaction is several where the limit's is one per row: begin " +
      'SERIALIZABLE with the `serial_writers` lock in the same round trip, the identity read, the inserts, ' +
      'first/last seen of the people the calls are on, the commit. Node SDK batches name customers that other ' +
      "batches name at the same moment: each batch reads the people's rows and writes its own people's first/last " +
      'seen, concurrent batches conflict there, and the attempt runs again.',
  ].join('\n');
}

export async function bench({ smoke = false } = {}) {
  const postgres = providePostgres();
  if (postgres.skipped) {
    console.log(`[bench ingest-postgres] skipped: ${postgres.skipped}`);
    return { title: TITLE, markdown: `Skipped: ${postgres.skipped}.`, data: [] };
  }
  // 8 s a path: the module's whole run, its waits for PostgreSQL's statistics included, stays within a minute.
  const seconds = smoke ? 0 : 8;
  const rows = [];
  try {
    const database = await createDatabase(postgres.url, 'glowlab_bench');
    const admin = new pg.Client({ connectionString: database.url });
    const server = await startServer({ env: { DATABASE_URL: database.url } });
    try {
      await admin.connect();
      for (const full of INGEST_PATHS) {
        const spec = smoke ? { ...full, senders: Math.min(full.senders, 4) } : full;
        // Warm-up: the first requests migrate the database, open the pool's connections and compile the route.
        await measureIngest({ origin: server.origin, ...spec, requests: smoke ? 2 : spec.senders * 4 });
        const before = await postgresCounters(admin, smoke);
        const measured = await measureIngest({
          origin: server.origin,
          ...spec,
          cpuSeconds: server.cpuSeconds,
          ...(smoke ? { requests: spec.senders } : { seconds }),
        });
        const after = await postgresCounters(admin, smoke, before.cpu);
        const pgCpuMsPerEvent = measured.events ? (after.cpu.seconds * 1000) / measured.events : undefined;
        const requests = measured.events / spec.batch;
        const rollbacksPerRequest = requests ? (after.rollbacks - before.rollbacks) / requests : undefined;
        const limit = await measureRawLimit({ url: database.url, admin, ...spec, seconds: smoke ? 0.3 : 3 });
        rows.push({
          ...measured,
          pgCpuMsPerEvent,
          rollbacksPerRequest,
          limit,
          ratio: measured.eventsPerSecond / limit.eventsPerSecond,
        });
        console.log(
          `[bench ingest-postgres] /${spec.path}: ${fmt(measured.eventsPerSecond)} events/s (p99 ${measured.p99} ms, ` +
            `${measured.failed} failed) vs raw ${fmt(limit.eventsPerSecond)}/s = ${fmt(rows.at(-1).ratio * 100)} %`,
        );
      }
    } finally {
      await admin.end().catch(() => undefined);
      await server.stop();
      await database.drop();
    }
  } finally {
    postgres.stop();
  }
  // A failed request is a lost call: reported as a target missed, as on SQLite.
  const targets = rows
    .filter((r) => r.failed)
    .map((r) => ({ what: `ingest /${r.path} failures`, target: '0', measured: String(r.failed), met: false }));
  return { title: TITLE, markdown: markdownOf({ smoke, rows, seconds }), data: rows, targets };
}

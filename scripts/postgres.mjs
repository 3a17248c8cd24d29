// PostgreSQL for the test suites (unit and e2e). TEST_DATABASE_URL when given (a server you run; the role
// needs CREATEDB: each run works in databases of its own and drops them). Otherwise a throwaway server from
// the installed binaries (Debian: /usr/lib/postgresql/<v>/bin): initdb into a temp folder, a free port,
// trust auth on 127.0.0.1 only, stopped and deleted when the owning process exits. When the binaries are
// missing, `npm test` running as root on Debian installs the `postgresql` package (like the browser);
// otherwise the PostgreSQL suites are skipped with the reason. TEST_POSTGRES=off skips them on purpose.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePortSync } from './free-port.mjs';

const DEBIAN_BIN_ROOT = '/usr/lib/postgresql';

/** The newest server binaries: Debian's versioned folders first, then PATH (Homebrew, other distributions). */
export function findServerBinaries() {
  const candidates = [];
  if (fs.existsSync(DEBIAN_BIN_ROOT)) {
    const versions = fs
      .readdirSync(DEBIAN_BIN_ROOT)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(DEBIAN_BIN_ROOT, v, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b))));
}

const isRoot = () => process.getuid?.() === 0;
const onDebian = () => fs.existsSync('/etc/debian_version') && spawnSync('apt-get', ['--version']).status === 0;

/** Installs Debian's `postgresql` package (root only). Returns an error sentence, or null on success. */
function installDebianPackage() {
  console.log('▶ PostgreSQL server binaries not found: installing the Debian package `postgresql` (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
  if (install().status === 0) return null;
  // Package lists may be missing or stale in a fresh container.
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  return install().status === 0 ? null : 'apt-get install postgresql failed (see the output above)';
}

// initdb and the server refuse to run as root: as root, they run as an unprivileged system user.
function serverUser() {
  if (!isRoot()) return null;
  for (const name of ['postgres', 'nobody']) {
    const found = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (found.status === 0) {
      const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim();
      return { name, uid: Number(found.stdout.trim()), gid: Number(gid) };
    }
  }
  return undefined;
}

function runAs(user, command, args) {
  const [cmd, argv] = user ? ['runuser', ['-u', user.name, '--', command, ...args]] : [command, args];
  return spawnSync(cmd, argv, { encoding: 'utf8', cwd: os.tmpdir() });
}

/** Starts a throwaway server; returns `{ url, stop }` or `{ skipped }`. */
function startThrowaway(binDir) {
  const user = serverUser();
  if (user === undefined) return { skipped: 'running as root and no unprivileged user (postgres, nobody) to run it' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-pg-'));
  const data = path.join(dir, 'data');
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const port = freePortSync();
  const stop = () => {
    if (fs.existsSync(path.join(data, 'postmaster.pid')))
      runAs(user, path.join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const init = runAs(user, path.join(binDir, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  // A test server: durability off (the data is thrown away), room for the suites' parallel pools.
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  const started =
    init.status === 0 &&
    runAs(user, path.join(binDir, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  if (!started || started.status !== 0) {
    const log = fs.existsSync(path.join(dir, 'server.log'))
      ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8')
      : '';
    const why = `${init.stderr ?? ''}${started ? started.stderr : ''}${log}`.trim().split('\n').slice(-3).join(' ');
    stop();
    return { skipped: `the throwaway PostgreSQL server (${binDir}) did not start: ${why}` };
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop, throwaway: true };
}

/**
 * PostgreSQL for this process and its children: `{ url, stop }` or `{ skipped: reason }`. A throwaway server
 * is stopped by `stop()`, and in any case when this process exits (normally, by an error or by Ctrl-C).
 * `install`: allowed to install the Debian package (the `npm test` command).
 */
export function providePostgres({ install = false } = {}) {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, stop: () => {} };
  // Already decided by a parent process (npm test) that found no way to get one.
  if (process.env.TEST_POSTGRES_SKIPPED) return { skipped: process.env.TEST_POSTGRES_SKIPPED };
  if (process.env.TEST_POSTGRES === 'off') return { skipped: 'TEST_POSTGRES=off' };
  let binDir = findServerBinaries();
  if (!binDir && install && isRoot() && onDebian()) {
    const failed = installDebianPackage();
    if (failed) return { skipped: failed };
    binDir = findServerBinaries();
  }
  if (!binDir) {
    return {
      skipped: `no TEST_DATABASE_URL and no PostgreSQL server binaries (initdb, pg_ctl) in ${DEBIAN_BIN_ROOT}/*/bin or on PATH${
        install && !(isRoot() && onDebian()) ? '; installing them needs root on Debian' : ''
      }`,
    };
  }
  const server = startThrowaway(binDir);
  if (server.skipped) return server;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    server.stop();
  };
  stopOnExit(stop);
  // Children (vitest, Playwright) then know it disappears with its data: nothing to clean up inside it.
  process.env.TEST_DATABASE_THROWAWAY = '1';
  return { url: server.url, stop };
}

function stopOnExit(stop) {
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      stop();
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}

/** `url` with another database name (or extra query parameters), keeping host and credentials. */
export function withDatabase(url, database, params = {}) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

const databaseName = (prefix) => `${prefix}_${crypto.randomBytes(4).toString('hex')}`;

/** Creates a database of its own for one consumer (a unit run, an e2e run); returns its URL and a drop(). */
export async function createDatabase(url, prefix) {
  const name = databaseName(prefix);
  await onServer(url, (client) => client.query(`create database "${name}"`));
  return { url: withDatabase(url, name), drop: () => dropDatabase(url, name) };
}

/** Drops a database made by createDatabase, closing the connections still open on it. */
export function dropDatabase(url, name) {
  return onServer(url, (client) => client.query(`drop database if exists "${name}" with (force)`));
}

async function onServer(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** createDatabase for configs that are loaded synchronously (Playwright): the work runs in a child process. */
export function createDatabaseSync(url, prefix) {
  const name = databaseName(prefix);
  const script = `const pg = require('pg');
    const client = new pg.Client({ connectionString: process.argv[1] });
    client.connect().then(() => client.query('create database "' + process.argv[2] + '"')).then(() => client.end(),
      (error) => { console.error(error.message); process.exit(1); });`;
  execFileSync(process.execPath, ['-e', script, url, name], { stdio: ['ignore', 'ignore', 'inherit'] });
  return withDatabase(url, name);
}

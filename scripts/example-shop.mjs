// `node scripts/example-shop.mjs` (a step of `npm test`): proves lib/tracking/README.md's copy instructions.
// Assembles examples/minimal-shop with lib/tracking/ and exactly the files and packages the README gives, builds
// it with `next build`, and runs tests/example (Playwright) against it and the main app's pipeline.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuild, NEXT_BIN } from './next-build.mjs';
import { offlineInstall } from './offline-install.mjs';
import { fileURLToPath } from 'node:url';
import { readCopyInstructions } from './tracking-copy.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TRACKING_DIR = path.join(ROOT, 'lib/tracking');
const TRACKING_README = path.join(TRACKING_DIR, 'README.md');
/** The committed example: its pages only, none of the integration files the README gives. */
const EXAMPLE_SOURCE = path.join(ROOT, 'examples/minimal-shop');
/** Where it is assembled, installed and built (git-ignored); tests/example serves it from there. */
const EXAMPLE_BUILD = path.join(ROOT, '.example-build/minimal-shop');

process.env.NEXT_TELEMETRY_DISABLED = '1';
process.chdir(ROOT);
const relative = (p) => path.relative(ROOT, p);

function fail(message) {
  console.error(`\n✘ example shop: ${message}`);
  process.exit(1);
}

function step(name, fn) {
  const started = Date.now();
  try {
    fn();
  } catch (error) {
    fail(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  console.log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

/** The installed version of `name` (from the root node_modules, which stands in for the registry). */
function installedVersion(name) {
  const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
  if (!fs.existsSync(manifest)) throw new Error(`the README installs ${name}, which this repository does not have`);
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
}

/** `npm install <the README's packages>`, offline: add them to package.json, checking the version the README names. */
function addPackages(packages) {
  const file = path.join(EXAMPLE_BUILD, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const { name, range } of packages) {
    const version = installedVersion(name);
    if (range && version !== range && !version.startsWith(`${range}.`))
      throw new Error(`the README installs ${name}@${range}, but the tested version is ${version}`);
    manifest.dependencies[name] = `^${version}`;
  }
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `patch` merged into `base`, objects key by key; anything else in `patch` replaces what `base` has. */
function mergeJson(base, patch) {
  if (!isObject(base) || !isObject(patch)) return patch;
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = mergeJson(base[key], value);
  return merged;
}

function assemble() {
  const instructions = readCopyInstructions(fs.readFileSync(TRACKING_README, 'utf8'));
  // Turbopack's build cache survives the rebuild (it is keyed by content), as it would in a shop's CI.
  const cache = path.join(EXAMPLE_BUILD, '.next/cache');
  const keptCache = `${EXAMPLE_BUILD}-next-cache`;
  if (fs.existsSync(cache)) {
    fs.rmSync(keptCache, { recursive: true, force: true });
    fs.renameSync(cache, keptCache);
  }
  fs.rmSync(EXAMPLE_BUILD, { recursive: true, force: true });
  fs.cpSync(EXAMPLE_SOURCE, EXAMPLE_BUILD, { recursive: true });
  if (fs.existsSync(keptCache)) {
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.renameSync(keptCache, cache);
  }
  // Step 1: "Copy lib/tracking/ as is into your project's lib/tracking/".
  fs.cpSync(TRACKING_DIR, path.join(EXAMPLE_BUILD, 'lib/tracking'), { recursive: true });
  for (const { file, code } of instructions.files) {
    const target = path.join(EXAMPLE_BUILD, file);
    if (file.endsWith('.json') && fs.existsSync(target)) {
      const merged = mergeJson(JSON.parse(fs.readFileSync(target, 'utf8')), JSON.parse(code));
      fs.writeFileSync(target, `${JSON.stringify(merged, null, 2)}\n`);
      continue;
    }
    // The example must not carry its own copy of an integration file: the README's is the one tested.
    if (fs.existsSync(target)) throw new Error(`${relative(EXAMPLE_SOURCE)}/${file} exists; the README gives it`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
  }
  addPackages(instructions.packages);
  // A shop is its own repository. Next infers its root from lockfiles up to the git boundary: without one here it
  // would take this repository's root, with its node_modules (every package, listed or not) and instrumentation.ts.
  run('git', ['init', '--quiet'], EXAMPLE_BUILD);
  const installed = offlineInstall(EXAMPLE_BUILD, ROOT);
  console.log(`  README files: ${instructions.files.map((f) => f.file).join(', ')}`);
  console.log(`  README packages: ${instructions.packages.map((p) => p.name).join(', ')} (${installed} installed)`);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

process.env.EXAMPLE_BUILD_DIR = EXAMPLE_BUILD;
ensureBuild(); // the main app, whose pipeline the example posts to
step(`assemble ${relative(EXAMPLE_BUILD)} from the README`, assemble);
step('next build (example)', () => run(process.execPath, [NEXT_BIN, 'build'], EXAMPLE_BUILD));
step('e2e (example)', () =>
  run(path.join(ROOT, 'node_modules/.bin/playwright'), ['test', '-c', 'tests/example/playwright.config.ts'], ROOT),
);

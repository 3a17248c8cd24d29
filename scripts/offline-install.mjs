// `npm install` without the network, for the example shop: the packages a project's package.json asks for, and
// everything they need, taken from this repository's package-lock.json and node_modules (hard links, no copies).
// A package the project does not declare is simply not there, as after a real install.
import fs from 'node:fs';
import path from 'node:path';

/** The lockfile key a `require(name)` from the package at `from` finds, as Node's lookup walks up. */
function resolveKey(packages, from, name) {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return null;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

/** What npm installs for a package: its dependencies, optional ones, and peers that are not optional. */
function wanted(entry) {
  const optionalPeers = Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional);
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.some(([o]) => o === n));
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...peers.map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
  ];
}

/** The lockfile keys of `names` and of everything they depend on that is installed here. */
export function dependencyClosure(lock, names, root) {
  const keys = new Set();
  const queue = names.map((name) => ({ from: '', name, optional: false }));
  while (queue.length) {
    const { from, name, optional } = queue.shift();
    const key = resolveKey(lock.packages, from, name);
    // Optional packages for other platforms are in the lockfile but not on disk.
    const present = key !== null && fs.existsSync(path.join(root, key, 'package.json'));
    if (!present) {
      if (optional) continue;
      throw new Error(`${name} (needed by ${from || 'the project'}) is not installed in ${root}`);
    }
    if (keys.has(key)) continue;
    keys.add(key);
    for (const dep of wanted(lock.packages[key])) queue.push({ from: key, ...dep });
  }
  return [...keys].sort();
}

/** Hard-links a package's files (not its nested node_modules, which are packages of their own). */
function linkTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else fs.linkSync(source, target);
  }
}

/**
 * Installs `project`'s dependencies and devDependencies from `root`'s lockfile and node_modules, and writes the
 * project's package-lock.json (the same entries). Returns the number of packages installed.
 */
export function offlineInstall(project, root) {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const manifest = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  const keys = dependencyClosure(lock, names, root);
  fs.rmSync(path.join(project, 'node_modules'), { recursive: true, force: true });
  for (const key of keys) linkTree(path.join(root, key), path.join(project, key));
  const packages = { '': { name: manifest.name, version: manifest.version, ...pick(manifest) } };
  for (const key of keys) packages[key] = lock.packages[key];
  const projectLock = { name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages };
  fs.writeFileSync(path.join(project, 'package-lock.json'), `${JSON.stringify(projectLock, null, 2)}\n`);
  return keys.length;
}

const pick = ({ dependencies, devDependencies }) => ({ dependencies, devDependencies });

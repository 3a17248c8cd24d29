// Reads the copy instructions of lib/tracking/README.md ("Copying it into another Next.js shop") as data, so
// scripts/example-shop.mjs can follow them literally: a step the README forgets is a step the example lacks.
import path from 'node:path';

const SECTION = '## Copying it into another Next.js shop';
const FENCE = /^( *)```(\S*)(?:[ \t]+(\S+))?[ \t]*$/;

/** The fenced code blocks of `markdown`: language, the file path after it (if any) and the code, un-indented. */
export function codeBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, lang, file] = open;
    const close = lines.findIndex((l, j) => j > i && l.trimEnd() === `${indent}\`\`\``);
    if (close < 0) throw new Error(`unclosed code block at line ${i + 1}`);
    const code = lines.slice(i + 1, close).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
    blocks.push({ lang, file: file ?? null, code: `${code.join('\n')}\n`, line: i + 1 });
    i = close;
  }
  return blocks;
}

function section(markdown) {
  const start = markdown.indexOf(SECTION);
  if (start < 0) throw new Error(`lib/tracking/README.md has no section "${SECTION}"`);
  const end = markdown.indexOf('\n## ', start + SECTION.length);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** `zod@4` → { name: 'zod', range: '4' }; `@scope/pkg@0.5` → { name: '@scope/pkg', range: '0.5' }. */
function packageSpec(spec) {
  const at = spec.lastIndexOf('@');
  return at > 0 ? { name: spec.slice(0, at), range: spec.slice(at + 1) } : { name: spec, range: '' };
}

/**
 * The instructions as data: the packages of its `npm install` line and the files its blocks name
 * (a block whose info string is `lang path`, e.g. ```ts proxy.ts). Throws when they cannot be followed.
 */
export function readCopyInstructions(markdown) {
  const blocks = codeBlocks(section(markdown));
  const install = blocks
    .filter((b) => b.lang === 'sh' && !b.file)
    .flatMap((b) => b.code.split('\n'))
    .find((l) => l.startsWith('npm install '));
  if (!install) throw new Error('the copy instructions have no `npm install …` line');
  const packages = install.split(/\s+/).slice(2).filter(Boolean).map(packageSpec);

  const files = blocks.filter((b) => b.file).map(({ file, code }) => ({ file, code }));
  if (files.length === 0) throw new Error('the copy instructions name no file (```ts path/to/file.ts)');
  const seen = new Set();
  for (const { file } of files) {
    if (path.isAbsolute(file) || file.split('/').includes('..')) throw new Error(`"${file}" is not a project path`);
    if (seen.has(file)) throw new Error(`two blocks write ${file}`);
    seen.add(file);
  }
  return { packages, files };
}

/** Variable names the instructions' `.env.local` block documents, set or commented out (`# NAME=`). */
export function documentedEnv(instructions) {
  const env = instructions.files.find((f) => f.file === '.env.local');
  if (!env) return new Set();
  return new Set([...env.code.matchAll(/^(?:#\s*)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
}

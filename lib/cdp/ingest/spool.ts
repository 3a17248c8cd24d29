import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { dataDir } from '@/lib/db';
import { env } from '@/lib/env';
import { processState } from '@/lib/common/process-state';
import { IDENTITY_SIGNATURE_FAILURES } from '@/lib/tracking/identity-signature';
import { messageSchema } from '@/lib/cdp/model/message';
import { REJECTION_REASONS } from '@/lib/cdp/model/rejection';
import type { StoreCallsOptions } from './handle';
import type { VerifiedCall } from './verify-identity';

/**
 * The ingest spool: requests that met the database not answering, kept on disk until it answers again
 * (runtime/spool-drain.ts stores them). One line of JSON per request, verified and parsed already, with what storing
 * it needs (when it arrived, who sent it, the browser's address), fsynced before the request is answered.
 * Files, per instance (`<host>-<port>`), in CDP_SPOOL_DIR (default `<data folder>/spool`):
 * - `<name>.jsonl`: new lines are appended here;
 * - `<name>.draining.jsonl`: the lines being stored, renamed from the first when a drain starts, so appends never
 *   meet the drainer; `<name>.draining.offset`: how far it got (bytes), written after each line's commit;
 * - `<name>.dead.jsonl`: lines that could not be stored for a reason other than the database, with that reason.
 */
const ENTRY_VERSION = 1;

const isoDate = z.iso.datetime().transform((text) => new Date(text));
const verdictSchema = z.union([
  z.object({ check: z.literal('unverified'), reason: z.enum(IDENTITY_SIGNATURE_FAILURES) }),
  z.object({ check: z.enum(['server', 'signed']).nullable() }),
]);
const rejectedSchema = z.object({
  reason: z.enum(REJECTION_REASONS),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
  call: z.unknown(),
  messageId: z.string().nullable(),
});

/** A spooled line, checked when read back: the file is outside the database's guarantees (disk, hand edits). */
export const spoolEntrySchema = z.object({
  v: z.literal(ENTRY_VERSION),
  /** Noted in the transaction that stores the line (store/spool-ledger.ts), so a replay of it is a no-op. */
  id: z.string().min(1).max(100),
  endpoint: z.string(),
  receivedAt: isoDate,
  wallReceivedAt: isoDate,
  trusted: z.boolean(),
  clientIp: z.string().nullable(),
  batchIndexes: z.array(z.number().int().min(0)).nullable(),
  calls: z.array(z.object({ message: messageSchema, identity: verdictSchema, needsLink: z.boolean() })),
  rejected: z.array(rejectedSchema),
});
export type SpoolEntry = z.output<typeof spoolEntrySchema>;

/** A request as one spool line: the calls as verified, and storeVerifiedCalls' options that belong to the request. */
export function spoolLine(calls: readonly VerifiedCall[], opts: StoreCallsOptions): string {
  return JSON.stringify({
    v: ENTRY_VERSION,
    id: crypto.randomUUID(),
    endpoint: opts.endpoint ?? 'batch',
    receivedAt: opts.receivedAt.toISOString(),
    wallReceivedAt: (opts.wallReceivedAt ?? opts.receivedAt).toISOString(),
    trusted: opts.trusted,
    clientIp: opts.clientIp ?? null,
    batchIndexes: opts.batchIndexes ?? null,
    calls,
    rejected: opts.rejected ?? [],
  });
}

/** A line waiting in the draining file; `end`: the offset just past it; `torn`: the last, cut short by a crash. */
export type SpoolLine = { text: string; end: number; torn: boolean };

// One queue of file operations per spool path, on globalThis: the route and the server's fast path (separate
// bundles) append to the same file, and a line must never be interleaved with another or with a rename.
const state = processState<{ __spoolLocks: Map<string, Promise<unknown>> }>({ __spoolLocks: null });

const sizeOf = (file: string) => fs.stat(file).then((s) => s.size, missing(0));
function missing<T>(value: T) {
  return (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw error;
  };
}

/** Appends `text` and fsyncs the file (and its folder, when the file is new, so its name survives a crash). */
async function appendDurably(file: string, text: string): Promise<void> {
  const isNew = (await sizeOf(file)) === 0;
  const handle = await fs.open(file, 'a');
  try {
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (isNew) await syncFolder(path.dirname(file));
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class SpoolFile {
  readonly active: string;
  readonly draining: string;
  readonly checkpoint: string;
  readonly dead: string;

  constructor(
    readonly dir: string,
    readonly name: string,
    readonly maxBytes: number,
  ) {
    this.active = path.join(dir, `${name}.jsonl`);
    this.draining = path.join(dir, `${name}.draining.jsonl`);
    this.checkpoint = path.join(dir, `${name}.draining.offset`);
    this.dead = path.join(dir, `${name}.dead.jsonl`);
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    const locks = (state.__spoolLocks ??= new Map());
    const run = (locks.get(this.active) ?? Promise.resolve()).then(work);
    locks.set(
      this.active,
      run.catch(() => undefined),
    );
    return run;
  }

  /** Bytes waiting: lines not appended yet to the draining file count until that file is gone. */
  size(): Promise<number> {
    return Promise.all([sizeOf(this.active), sizeOf(this.draining)]).then(([a, b]) => a + b);
  }

  /** Bytes set aside (dead-lettered lines with their reasons, kept until a person deals with them). */
  setAsideSize(): Promise<number> {
    return sizeOf(this.dead);
  }

  /** Appends one line, durably; false (nothing written) when the spool would grow past maxBytes. */
  append(line: string): Promise<boolean> {
    return this.locked(async () => {
      const bytes = Buffer.byteLength(line) + 2;
      if ((await this.size()) + bytes > this.maxBytes) return false;
      await fs.mkdir(this.dir, { recursive: true });
      // A crash mid-append leaves a line without its newline: end it, so this line is not glued to it.
      await appendDurably(this.active, `${(await this.endsCut()) ? '\n' : ''}${line}\n`);
      return true;
    });
  }

  private async endsCut(): Promise<boolean> {
    const size = await sizeOf(this.active);
    if (!size) return false;
    const handle = await fs.open(this.active, 'r');
    try {
      const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
      return buffer[0] !== 0x0a;
    } finally {
      await handle.close();
    }
  }

  /** Whether there is a draining file, after moving the appended lines there when there was none. */
  take(): Promise<boolean> {
    return this.locked(async () => {
      if (await fs.access(this.draining).then(() => true, missing(false))) return true;
      if (!(await sizeOf(this.active))) return false;
      // A checkpoint without its draining file belongs to a drain that finished: it must not skip the new lines.
      await fs.rm(this.checkpoint, { force: true });
      await fs.rename(this.active, this.draining);
      await syncFolder(this.dir);
      return true;
    });
  }

  /** The draining file's lines past the checkpoint, in order. */
  async pending(): Promise<SpoolLine[]> {
    const content = await fs.readFile(this.draining).catch(missing(Buffer.alloc(0)));
    const saved = Number(await fs.readFile(this.checkpoint, 'utf8').catch(missing('0')));
    let start = Number.isSafeInteger(saved) && saved >= 0 && saved <= content.length ? saved : 0;
    const lines: SpoolLine[] = [];
    while (start < content.length) {
      const newline = content.indexOf(0x0a, start);
      const end = newline === -1 ? content.length : newline + 1;
      const text = content.toString('utf8', start, newline === -1 ? end : newline);
      if (text.trim()) lines.push({ text, end, torn: newline === -1 });
      start = end;
    }
    return lines;
  }

  /** Records that every line up to `end` is stored (written whole, then renamed over the old checkpoint). */
  async commit(end: number): Promise<void> {
    const temporary = `${this.checkpoint}.tmp`;
    await fs.writeFile(temporary, String(end), { flush: true });
    await fs.rename(temporary, this.checkpoint);
  }

  /** Sets a line aside for good, with why: it is kept for a person to read, and no longer retried. */
  deadLetter(text: string, reason: string): Promise<void> {
    return this.locked(() =>
      appendDurably(this.dead, `${JSON.stringify({ at: new Date().toISOString(), reason, line: text })}\n`),
    );
  }

  /** Every line of the draining file is stored: the checkpoint goes first, so a crash between replays, not skips. */
  finish(): Promise<void> {
    return this.locked(async () => {
      await fs.rm(this.checkpoint, { force: true });
      await fs.rm(this.draining, { force: true });
    });
  }
}

/** This instance's spool: its name is the host and port, so a restarted instance finds its own lines again. */
export function instanceSpool(): SpoolFile {
  const e = env();
  const dir = e.CDP_SPOOL_DIR
    ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), e.CDP_SPOOL_DIR)
    : path.join(dataDir(), 'spool');
  const name = `${os.hostname()}-${e.PORT}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return new SpoolFile(dir, name, e.spoolMaxBytes);
}

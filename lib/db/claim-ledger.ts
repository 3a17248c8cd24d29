import { SECOND } from '@/lib/common/duration';
import { processState } from '@/lib/common/process-state';
import { chunks } from './chunks';
import type { DB } from './index';
import { markRowsSent, type RetryQueue } from './retry-queue';

/**
 * What a pass over a retry queue (retry-queue.ts) still owes the database: rows it claimed and has not settled
 * (marked sent or failed, or handed back), and rows the receiver acknowledged that are not marked sent yet.
 * Without it a database error mid-pass (SQLite busy past its timeout, a lost PostgreSQL connection, a deadlock)
 * left every such row claimed for the whole claim (minutes), its person's later calls waiting behind it, and the
 * acknowledged ones were then sent a second time. `run` settles them on the error: acknowledged rows are marked
 * sent, the others handed back, due at once. When the database is still failing, the process keeps the ledger and
 * its next pass over that queue settles it before it claims anything. (A process that dies with rows claimed
 * leaves them to the claim's expiry; an acknowledged one is then sent again, and the receiver keeps one copy of
 * its messageId.)
 */
export class ClaimLedger {
  private readonly open = new Set<number>();
  private readonly acknowledged = new Set<number>();

  /** `claimedAt`: the claim's time (the rows' claimed_at); `keepPayload`: as markRowsSent. */
  constructor(
    readonly queue: RetryQueue,
    readonly claimedAt: number,
    private readonly keepPayload: boolean,
  ) {}

  claimed(ids: readonly number[]): void {
    for (const id of ids) this.open.add(id);
  }

  /** The receiver took them: from now on they must never be handed back (that would send them again). */
  delivered(ids: readonly number[]): void {
    for (const id of ids) this.acknowledged.add(id);
  }

  /** How many rows settle() would hand back (claimed, neither settled nor acknowledged). */
  get unsettled(): number {
    let n = 0;
    for (const id of this.open) if (!this.acknowledged.has(id)) n++;
    return n;
  }

  /** Marked sent or failed, or handed back, by the pass itself. */
  settled(ids: readonly number[]): void {
    for (const id of ids) {
      this.open.delete(id);
      this.acknowledged.delete(id);
    }
  }

  /** Runs a pass over this claim (`work` claims, reports and settles through the ledger); see the class. */
  async run<T>(db: DB, work: () => Promise<T>): Promise<T> {
    await settleLeftovers(db, this.queue);
    try {
      return await work();
    } catch (error) {
      await this.settle(db).catch((again: unknown) => {
        console.error(`[db] ${this.queue}: claimed rows are settled by the next pass`, again);
        leftovers(db).push(this);
      });
      throw error;
    }
  }

  /** Marks the acknowledged rows sent and hands the others back (run, settleLeftovers, a pass that stops early). */
  async settle(db: DB): Promise<void> {
    const table = this.queue as 'cdp_forward_queue';
    const acknowledged = [...this.acknowledged];
    // The time of the claim: when they were delivered, within the pass.
    await markRowsSent(db, this.queue, acknowledged, this.claimedAt, this.keepPayload);
    this.settled(acknowledged);
    // Only while the claim is still this one's: after it ran out another instance may have claimed them since.
    for (const batch of chunks([...this.open]))
      await db
        .updateTable(table)
        .set({ next_attempt_at: this.claimedAt, claimed_at: null })
        .where('id', 'in', batch)
        .where('status', '=', 'pending')
        .where('claimed_at', '=', this.claimedAt)
        .execute();
    this.open.clear();
  }
}

/** Time kept, after a request's timeout, for marking its rows before the claim ends. */
const SETTLE_MS = 30 * SECOND;

/**
 * For a pass that claimed its rows at `claimedAt` for `claimMs`: `mayStart`, whether it may still start a request
 * that can take `requestMs`, its answer and the marks after it fitting in the claim. Past the claim another instance
 * may claim the same rows and send them again, so a pass that may not stops and hands back what it has not sent
 * (settle). `now`: wall-clock ms, `clock` when given (tests drive it), else `claimedAt` plus the time since.
 */
export function requestWindow(claimedAt: number, claimMs: number, requestMs: number, clock?: () => number) {
  const started = performance.now();
  const now = clock ?? (() => claimedAt + Math.round(performance.now() - started));
  const lastStart = claimedAt + claimMs - requestMs - SETTLE_MS;
  return { now, mayStart: () => now() <= lastStart };
}

// Per database handle and process (on globalThis: the scheduler and the routes are separate bundles).
const state = processState<{ __claimLeftovers: WeakMap<DB, ClaimLedger[]> }>({ __claimLeftovers: null });
const leftovers = (db: DB) => {
  const all = (state.__claimLeftovers ??= new WeakMap());
  let list = all.get(db);
  if (!list) all.set(db, (list = []));
  return list;
};

/** Settles what earlier passes over `queue` could not (ClaimLedger); throws while the database still fails. */
async function settleLeftovers(db: DB, queue: RetryQueue): Promise<void> {
  const list = leftovers(db);
  for (const ledger of list.filter((l) => l.queue === queue)) {
    // Taken off the list first: a pass running beside this one (another request's send) does not settle it too.
    const at = list.indexOf(ledger);
    if (at < 0) continue;
    list.splice(at, 1);
    try {
      await ledger.settle(db);
    } catch (error) {
      list.push(ledger);
      throw error;
    }
  }
}

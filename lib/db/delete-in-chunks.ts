import { setImmediate as nextTurn } from 'node:timers/promises';

/** Rows per DELETE of a purge: ~50–100 ms of SQLite's single writer here, so nothing waits long behind one. */
export const DELETE_CHUNK_ROWS = 1_000;

/**
 * Runs `deleteChunk(limit)` (a DELETE of at most `limit` rows, answering how many went) until a chunk comes back
 * short, and gives the event loop a turn between chunks: better-sqlite3 is synchronous and Kysely's awaits are
 * microtasks, so without that turn a purge of a month of traffic would hold every request for its whole length.
 * Returns how many rows went in all.
 */
export async function deleteInChunks(deleteChunk: (limit: number) => Promise<bigint | number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = Number(await deleteChunk(DELETE_CHUNK_ROWS));
    total += deleted;
    if (deleted < DELETE_CHUNK_ROWS) return total;
    await nextTurn();
  }
}

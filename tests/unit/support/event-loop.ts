/**
 * Turns of the event loop (setImmediate callbacks) that ran while `work` did: none when it held the loop the whole
 * time (better-sqlite3 is synchronous, and Kysely's awaits are microtasks), one or more per pause it made.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; value: T }> {
  let turns = 0;
  let done = false;
  const turn = () => {
    if (done) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  const value = await work();
  done = true;
  return { turns, value };
}

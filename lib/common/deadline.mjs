// One bounded wait for the server's drain (lib/common/background-work.ts, lib/cdp/runtime/shutdown.ts) and for
// scripts/serve/shutdown.mjs, which runs outside Next's bundle: plain JavaScript both can import.

/**
 * What `promise` resolves to, or `late` once `deadline` (epoch ms) comes first. The timer does not outlive the wait,
 * so a drain that finished early does not keep the process alive until the deadline.
 */
export async function settleBy(promise, deadline, late) {
  let timer;
  const expired = new Promise(
    (resolve) => (timer = setTimeout(() => resolve(late), Math.max(0, deadline - Date.now()))),
  );
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

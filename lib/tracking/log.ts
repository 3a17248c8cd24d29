/** Console logging for the tracking layer: a fixed prefix, and "once per reason" so production logs stay quiet. */
const PREFIX = '[tracking]';
const seen = new Set<string>();

export function warnOnce(reason: string, message: string, detail?: unknown): void {
  if (seen.has(reason)) return;
  seen.add(reason);
  if (detail === undefined) console.warn(PREFIX, message);
  else console.warn(PREFIX, message, detail);
}

export function logError(message: string, detail?: unknown): void {
  if (detail === undefined) console.error(PREFIX, message);
  else console.error(PREFIX, message, detail);
}

/** For tests that assert "logs once". */
export function resetLogOnce(): void {
  seen.clear();
}

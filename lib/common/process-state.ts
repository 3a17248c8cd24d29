/**
 * Process-wide state (the database handle, the scheduler's timer, the journey pass's stop switch, …) lives on
 * globalThis: Next bundles instrumentation.ts and the route handlers separately, so a module-level variable would
 * exist once per bundle, and again after each hot reload in development.
 *
 * Each module declares its keys here with how to release a value, so there is one list of everything a process
 * holds: `resetProcessState()` makes the process look new again (the unit tests run many files in one worker and
 * call it after each file).
 */
type Release<T> = (value: T) => unknown;
type Registry = Map<string, Release<never> | null>;

const root = globalThis as typeof globalThis & { __processState?: Registry } & Record<string, unknown>;
const registry: Registry = (root.__processState ??= new Map());

/**
 * globalThis, typed with this module's keys (each `undefined` until set), which are registered for
 * `resetProcessState`. `release` says how to let go of a value (clear a timer, close a handle), or null for
 * nothing beyond forgetting it.
 */
export function processState<T extends Record<`__${string}`, unknown>>(release: {
  [K in keyof T]-?: Release<T[K]> | null;
}): Partial<T> {
  for (const [key, fn] of Object.entries(release)) registry.set(key, fn as Release<never> | null);
  return root as unknown as Partial<T>;
}

/** Forgets every registered value and releases it (in registration order), as if the process had just started. */
export async function resetProcessState(): Promise<void> {
  const held: Array<[unknown, Release<never>]> = [];
  for (const [key, release] of registry) {
    const value = root[key];
    delete root[key];
    if (value !== undefined && release) held.push([value, release]);
  }
  for (const [value, release] of held) await (release as Release<unknown>)(value);
}

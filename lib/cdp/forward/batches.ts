/**
 * Customer.io's Pipelines API limits, in bytes of UTF-8 (what travels), not string length (UTF-16 code units: a
 * text in Cyrillic or emoji counts 2-4 bytes per unit): 500 KB per batch request and 32 KB per call in it.
 * The batch budget keeps a margin below 500 KB for proxies that count differently.
 */
export const MAX_CALL_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 480 * 1024;
export const MAX_BATCH_CALLS = 100;

const ENVELOPE = '{"batch":[]}';

export const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** The request body for some calls (each already JSON). */
export const batchBody = (payloads: readonly string[]) => `{"batch":[${payloads.join(',')}]}`;

/**
 * Splits rows, in order, into batches whose body stays within MAX_BATCH_BYTES and MAX_BATCH_CALLS. Rows over
 * MAX_CALL_BYTES on their own come back in `oversized`: Customer.io would not process them, so they are
 * dead-lettered with that reason rather than sent.
 */
export function toBatches<T extends { payload: string }>(rows: readonly T[]): { batches: T[][]; oversized: T[] } {
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let bytes = byteLength(ENVELOPE);
  for (const row of rows) {
    const size = byteLength(row.payload);
    if (size > MAX_CALL_BYTES) {
      oversized.push(row);
      continue;
    }
    // A comma separates every call after the first.
    const added = size + (current.length ? 1 : 0);
    if (current.length && (current.length === MAX_BATCH_CALLS || bytes + added > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = byteLength(ENVELOPE);
    }
    bytes += size + (current.length ? 1 : 0);
    current.push(row);
  }
  if (current.length) batches.push(current);
  return { batches, oversized };
}

/**
 * Message ids shared by a browser event and its server mirror, so the pipeline stores the event once.
 * crypto.randomUUID only exists in secure contexts (https, localhost); a shop reached over plain http
 * on a LAN address still needs ids, so fall back to getRandomValues, which exists everywhere.
 */
export function uuidV4(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  return uuidV4FromBytes(c.getRandomValues(new Uint8Array(16)));
}

/** Lays 16 bytes (random, or a hash for an id derived from something stable) out as a UUID v4. */
export function uuidV4FromBytes(bytes: Uint8Array): string {
  const b = Uint8Array.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuidV4(value: unknown): value is string {
  return typeof value === 'string' && UUID_V4.test(value);
}

/** A messageId for one event; pass the same one to the server mirror. */
export const newMessageId = uuidV4;

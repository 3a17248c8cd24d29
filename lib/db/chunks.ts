// SQLite caps bound parameters per statement (32,766; PostgreSQL 65,535); ids are read and written in slices.
const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db';
import { parseDatabaseUrl } from '@/lib/db/url';

describe('DATABASE_URL', () => {
  it('names SQLite files with or without file:, and PostgreSQL with either scheme', () => {
    expect(parseDatabaseUrl('file:./data/shop.db')).toEqual({ kind: 'sqlite', file: './data/shop.db' });
    expect(parseDatabaseUrl('./data/shop.db')).toEqual({ kind: 'sqlite', file: './data/shop.db' });
    expect(parseDatabaseUrl(':memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('C:\\shop\\shop.db')).toEqual({ kind: 'sqlite', file: 'C:\\shop\\shop.db' });
    for (const url of ['postgres://u:p@db:5432/shop', 'postgresql://u@db/shop?sslmode=require'])
      expect(parseDatabaseUrl(url)).toEqual({ kind: 'postgres', url });
  });

  it('never turns a URL it does not support into a SQLite file', async () => {
    await expect(openDatabase('postgres:shop')).rejects.toThrow(/DATABASE_URL/);
  });

  it('names an unreachable PostgreSQL server without its password', async () => {
    const failure = openDatabase('postgres://shop:hunter2@127.0.0.1:9/shop');
    await expect(failure).rejects.toThrow(/^Could not use PostgreSQL at 127\.0\.0\.1:9\/shop \(DATABASE_URL\): /);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });
});

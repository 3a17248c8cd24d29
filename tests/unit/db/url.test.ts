import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/lib/db';
import { migrations } from '@/lib/db/migrations';
import { parseDatabaseUrl } from '@/lib/db/url';
import { freshDatabaseUrl } from '../support/database';

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

describe('an existing SQLite database', () => {
  it('keeps its data and gains only the new migrations', async () => {
    const url = await freshDatabaseUrl();
    const old = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SQLite(url.slice('file:'.length)) }),
    });
    await new Migrator({ db: old, provider: { getMigrations: async () => migrations } }).migrateTo('0003-journeys');
    await old
      .insertInto('customers')
      .values({
        id: 'cus_1',
        email: 'ada@example.test',
        name: null,
        password_hash: null,
        acquisition_source: null,
        created_at: 'x',
        first_seen_at: 'x',
      })
      .execute();
    await old.destroy();

    const db = await openDatabase(url);
    expect(await db.selectFrom('customers').select('id').execute()).toEqual([{ id: 'cus_1' }]);
    expect(await db.selectFrom('job_leases').selectAll().execute()).toEqual([]);
    await db.destroy();
  });
});

import crypto from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { getDb, type DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { ingestBatch, type IngestOptions } from '@/lib/cdp/ingest/handle';
import { messageSchema } from '@/lib/cdp/model/message';
import { freshDatabaseUrl } from '../support/database';

export const T0 = new Date('2026-03-01T12:00:00.000Z');
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** A controllable pipeline clock for unit tests: every call is received at `clock.now`. */
export function testClock(start = T0) {
  let at = start.getTime();
  return {
    get now() {
      return new Date(at);
    },
    advance(ms: number) {
      at += ms;
    },
  };
}

// Storage suites run on SQLite and PostgreSQL (vitest projects): see tests/unit/support/database.ts.
export { freshDb } from '../support/database';

type Call = Record<string, unknown> & { type: string };

/** Builds a call the way the node SDK would (messageId, timestamp, library name). */
export function call(
  type: string,
  fields: Record<string, unknown> = {},
  library = '@customerio/cdp-analytics-node',
): Call {
  return {
    type,
    messageId: crypto.randomUUID(),
    context: { library: { name: library, version: 'test' } },
    properties: {},
    ...fields,
  };
}
export const track = (event: string, fields: Record<string, unknown> = {}) => call('track', { event, ...fields });
export const identify = (userId: string, anonymousId: string | undefined, traits: Record<string, unknown> = {}) =>
  call('identify', { userId, anonymousId, traits });

/** The server write key of the unit tests' pipeline (identity signatures are derived from it). */
export const SERVER_WRITE_KEY = 'unit-test-server-write-key';

/** Validates and ingests calls at `at`, as the route does after parsing: trusted (server key) unless told otherwise. */
export function ingest(db: DB, calls: Call[], at: Date, opts: Partial<IngestOptions> = {}) {
  const messages = calls.map((c) => messageSchema.parse(c));
  return ingestBatch(db, messages, {
    receivedAt: at,
    trusted: true,
    serverWriteKey: SERVER_WRITE_KEY,
    local: true,
    forward: false,
    ...opts,
  });
}

export async function eventsOf(db: DB, anonymousId: string) {
  return db.selectFrom('cdp_events').selectAll().where('anonymous_id', '=', anonymousId).orderBy('seq').execute();
}

/** A catalogue product as cart events carry it (prices in major units). */
export const CLEANSER = {
  sku: 'GL-CLN-GEL-150',
  variant_id: 'var_gentle_gel_cleanser_150',
  product_id: 'prod_gel',
  name: 'Gentle Gel Cleanser',
  price: 18,
};
export const cartItem = {
  ...CLEANSER,
  quantity: 1,
  image_url: 'http://shop.test/p.svg',
  product_url: 'http://shop.test/p',
};

/** An anonymous Added to Cart of one cleanser, valid against the tracking plan. */
export const addedToCart = (anonymousId: string) =>
  track('Added to Cart', {
    anonymousId,
    properties: {
      added: { sku: cartItem.sku, variant_id: cartItem.variant_id, quantity: 1 },
      items: [cartItem],
      cart_value: cartItem.price,
      item_count: 1,
      currency: 'USD',
      schema_version: 1,
    },
  });

/** The `cart` person attribute the shop's server sets on identify when the browser holds `addedToCart`'s cart. */
export const cleanserCart = {
  items: [cartItem],
  cart_value: cartItem.price,
  item_count: 1,
  currency: 'USD',
  restore_url: 'http://shop.test/cart/restore/cleanser.sig',
};

/**
 * For suites that drive the ingest route (handleIngest) as a client would: a fresh database and the pipeline's
 * env (`env` on top of local mode, no Customer.io key) for the whole suite, restored after it. `db()` is the
 * route's own database handle.
 */
export function ingestRouteSuite(env: Record<string, string>): { db: () => DB } {
  let db: DB | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    Object.assign(process.env, { DATABASE_URL: await freshDatabaseUrl(), CDP_LOCAL: 'on', ...env });
    delete process.env.CIO_WRITE_KEY;
    resetEnvCache();
    (globalThis as { __shopDb?: unknown }).__shopDb = undefined;
    db = await getDb();
  });
  afterAll(() => {
    process.env = { ...saved };
    resetEnvCache();
  });
  return {
    db: () => {
      if (!db) throw new Error('ingestRouteSuite: the database opens in beforeAll');
      return db;
    },
  };
}

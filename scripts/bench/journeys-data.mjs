// Fills a migrated SQLite database with N people / M events by direct inserts (seconds for 1M rows), for the
// journeys benchmark and the shutdown test. Rows look like what the ingest stores: server-confirmed identifies
// with an email, product views, cart events with items, some orders.
import SQLite from 'better-sqlite3';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const item = (n) => ({
  sku: `GL-BENCH-${n % 40}`,
  variant_id: `var_bench_${n % 40}`,
  product_id: `prod_bench_${n % 40}`,
  name: `Bench product ${n % 40}`,
  price: 18,
  quantity: 1,
  image_url: 'http://shop.test/p.svg',
  product_url: 'http://shop.test/p',
});
const cartBlock = (n) => ({ items: [item(n)], cart_value: 18, item_count: 1, currency: 'USD' });
const cart = (n) => ({ ...cartBlock(n), schema_version: 1 });
/** The `cart` person attribute the shop's server sets after a cart change (lib/shop/server/tracking.ts). */
const cartAttribute = (n) => ({ ...cartBlock(n), restore_url: `http://shop.test/cart/restore?c=${n}` });

function inserter(db) {
  const event = db.prepare(`insert into cdp_events (message_id, type, name, canonical_name, person_id, user_id,
    timestamp, received_at, attached_at, seen_by_server, trusted, identity_check, properties, traits)
    values (@id, @type, @name, @name, @person, @person, @at, @at, @at, 1, 1, @check, @properties, @traits)`);
  const person = db.prepare(`insert or ignore into cdp_people (id, email, traits, first_seen_at, last_seen_at,
    created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)`);
  let n = 0;
  const add = (personId, type, name, at, props = {}) =>
    event.run({
      id: `bench-${process.pid}-${Date.now()}-${n++}`,
      type,
      name,
      person: personId,
      at: new Date(at).toISOString(),
      check: type === 'identify' ? 'server' : null,
      properties: type === 'track' ? JSON.stringify(props) : '{}',
      traits: type === 'identify' ? JSON.stringify(props) : '{}',
    });
  return { add, person };
}

/**
 * One person's day: an identify with an email, views, adds (each followed, as in the shop, by the server setting
 * the `cart` attribute the recovery email reads), an order for every third person (whose cart is then empty).
 */
function personEvents({ add, person }, id, i, base, events) {
  const email = `${id}@bench.test`;
  const iso = new Date(base).toISOString();
  // Every third person orders, as their last event, when that event falls on an order slot (k % 5 === 4).
  const ordered = i % 3 === 0 && events > 1 && (events - 1) % 5 === 4;
  person.run(id, email, JSON.stringify({ email, cart: ordered ? null : cartAttribute(i) }), iso, iso, iso, iso);
  add(id, 'identify', null, base, { email });
  for (let k = 1; k < events; k++) {
    const at = base + k * 7 * 60_000;
    const kind = k % 5;
    if (kind === 1 || kind === 2) add(id, 'track', 'Product Viewed', at, { product_id: `prod_bench_${k % 40}` });
    else if (kind === 3) add(id, 'track', 'Added to Cart', at, { added: item(k), ...cart(k) });
    else if (ordered && k === events - 1) add(id, 'track', 'Order Completed', at, { total: 18 });
    else if (kind === 0) add(id, 'identify', null, at, { cart: cartAttribute(i) });
    else add(id, 'page', 'Home', at, {});
  }
}

/**
 * `people` people with `eventsPerPerson` events each, spread over the 30 days before `end`, in transactions of
 * 1,000 people. Returns the time of the latest event.
 */
export function fillPeople(file, { people, eventsPerPerson = 10, end = Date.now(), prefix = 'cus_bench_' }) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  const ins = inserter(db);
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++)
      personEvents(
        ins,
        `${prefix}${i}`,
        i,
        end - ((i * 7919) % (30 * DAY)) - eventsPerPerson * 7 * 60_000,
        eventsPerPerson,
      );
  });
  for (let i = 0; i < people; i += 1_000) batch(i, Math.min(people, i + 1_000));
  db.close();
  return end;
}

/** New events since the last pass: one product view each for `count` existing people, at `at`. */
export function addViews(file, { count, at, prefix = 'cus_bench_', from = 0 }) {
  const db = new SQLite(file);
  const { add } = inserter(db);
  db.transaction(() => {
    for (let i = 0; i < count; i++)
      add(`${prefix}${from + i}`, 'track', 'Product Viewed', at + i, { product_id: 'prod_x' });
  })();
  db.close();
}

/** One person with `events` journey-relevant events (views and cart adds, one a minute): a bot-like profile. */
export function fillHugeProfile(file, { id = 'cus_huge', events, end = Date.now() }) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  const ins = inserter(db);
  const start = end - events * 1_000;
  db.transaction(() => {
    const iso = new Date(start).toISOString();
    ins.person.run(id, `${id}@bench.test`, JSON.stringify({ email: `${id}@bench.test` }), iso, iso, iso, iso);
    ins.add(id, 'identify', null, start, { email: `${id}@bench.test` });
    for (let k = 1; k < events; k++) {
      const at = start + k * 1_000;
      if (k % 2) ins.add(id, 'track', 'Product Viewed', at, { product_id: `prod_bench_${k % 40}` });
      else ins.add(id, 'track', 'Added to Cart', at, { added: item(k), ...cart(k) });
    }
  })();
  db.close();
  return end;
}

import { describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import type { CartStrategy } from '@/lib/cdp/engine/journeys';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { call, cartItem, cleanserCart, freshDb, identify, ingest, MINUTE, T0, testClock, track } from '../cdp/support';

// Issue 9 §1: the browser's write key is public. Anything posted with it, as a browser would, must never put
// attacker-written text, a `javascript:` link or a tracking pixel into an email, nor choose where one goes.
const HOUR = 60 * MINUTE;
const EVIL = {
  name: 'WIN A PRIZE — claim now',
  image_url: 'https://evil.example/pixel.gif',
  product_url: 'javascript:alert(document.cookie)',
};
const evilCart = {
  items: [{ ...cartItem, ...EVIL, price: 0 }],
  cart_value: 0,
  item_count: 1,
  currency: 'USD',
  restore_url: 'https://evil.example/steal',
  schema_version: 1,
};
const NODE = '@customerio/cdp-analytics-node';
const CLEANSER_VIEW = {
  ...cartItem,
  price: 18,
  currency: 'USD',
  image_url: 'http://shop.test/p.svg',
  product_url: 'http://shop.test/p',
};
const MARKS = [/evil/i, /javascript:/i, /WIN A PRIZE/, /pixel\.gif/, /Mallory/];

/** A call as the browser SDK sends it: its library name, the public write key in the body (no Basic auth). */
const fromBrowser = (type: string, fields: Record<string, unknown>) => call(type, fields, 'analytics.js');
const browserTrack = (event: string, fields: Record<string, unknown>) => fromBrowser('track', { event, ...fields });

async function attack(db: DB, at: Date) {
  // The cart items a browser claims (on Ada's profile, and on the attacker's own).
  const forgedAdd = (who: Record<string, unknown>) =>
    browserTrack('Added to Cart', { ...who, properties: { added: { sku: cartItem.sku, quantity: 1 }, ...evilCart } });
  await ingest(
    db,
    [
      forgedAdd({ userId: 'cus_ada' }),
      forgedAdd({ userId: 'cus_eve' }),
      // Forged anonymous history on the attacker's device, then Ada's email typed into its popup: the shop's
      // server identifies Ada with that device's anonymous id, stitching the forgeries into her timeline.
      forgedAdd({ anonymousId: 'eve-device' }),
    ],
    at,
    { trusted: false },
  );
  await ingest(db, [identify('cus_ada', 'eve-device', { email: 'ada@example.com', cart: cleanserCart })], at);
  // A browser copy first, then the server's mirror of it with the same messageId (the mirroring actions take any
  // id): the server's content wins, so Eve's browse recovery shows the catalogue's product, not hers.
  for (let i = 0; i < 2; i++) {
    const forgedView = browserTrack('Product Viewed', { userId: 'cus_eve', properties: { ...EVIL, price: 1 } });
    await ingest(db, [forgedView], at, { trusted: false });
    const mirror = { ...forgedView, properties: CLEANSER_VIEW, context: { library: { name: NODE } } };
    await ingest(db, [mirror], at);
  }
  // Browsing and quiz events a message would show (after the adds, so no add ends those journeys first), sent from
  // the device the server linked to Ada: with her userId from any other browser they would not reach her at all.
  const fromEveDevice = { userId: 'cus_ada', anonymousId: 'eve-device' };
  const viewed = () =>
    browserTrack('Product Viewed', { ...fromEveDevice, properties: { ...EVIL, price: 1, currency: 'USD' } });
  const quiz = { quiz_id: 'q', result: '<a href="https://evil.example">', recommended_skus: [] };
  // Last, a browser identify rewriting Ada's name, cart and address.
  const rewrite = { first_name: 'Mallory https://evil.example', email: 'eve@evil.example', cart: evilCart };
  await ingest(
    db,
    [
      viewed(),
      viewed(),
      browserTrack('Quiz Completed', { ...fromEveDevice, properties: quiz }),
      fromBrowser('identify', { userId: 'cus_ada', traits: rewrite }),
    ],
    at,
    { trusted: false },
  );
}

async function scenario(live: CartStrategy) {
  const db = await freshDb();
  const clock = testClock(T0);
  const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: live, appUrl: 'http://shop.test' });
  // Two real customers, known to the shop's server, each with the cart the server set.
  await ingest(
    db,
    [
      identify('cus_ada', 'ada-laptop', { email: 'ada@example.com', first_name: 'Ada' }),
      identify('cus_eve', 'eve-laptop', { email: 'eve@example.com', first_name: 'Eve' }),
    ],
    clock.now,
  );
  await pass();
  clock.advance(MINUTE);
  await ingest(
    db,
    [
      track('Added to Cart', {
        userId: 'cus_ada',
        properties: { added: { sku: cartItem.sku, quantity: 1 }, ...cleanserCart },
      }),
      identify('cus_ada', undefined, { cart: cleanserCart }),
      identify('cus_eve', undefined, { cart: cleanserCart }),
    ],
    clock.now,
  );
  await attack(db, clock.now);
  for (let i = 0; i < 30; i++) {
    await pass();
    clock.advance(HOUR);
  }
  const outbox = await db.selectFrom('outbox').selectAll().execute();
  const runs = await db.selectFrom('journey_runs').selectAll().execute();
  return { outbox, runs };
}

describe('forged browser calls never reach an email', () => {
  for (const live of ['event', 'lookback', 'hold'] as const) {
    it(`with the ${live} strategy live: only server-set data, only the shop's links, only server-set addresses`, async () => {
      const { outbox, runs } = await scenario(live);
      // Not vacuous: the real carts were mailed, to the addresses the shop's server set.
      expect(outbox.length).toBeGreaterThan(0);
      expect(new Set(outbox.map((m) => m.to_email))).toEqual(new Set(['ada@example.com', 'eve@example.com']));
      for (const m of outbox) {
        expect(m.html).toContain('Gentle Gel Cleanser');
        for (const mark of MARKS) for (const part of [m.subject, m.html, m.text]) expect(part).not.toMatch(mark);
        for (const link of m.html.matchAll(/(?:href|src)="([^"]*)"/g))
          expect(link[1]).toMatch(/^http:\/\/shop\.test($|\/)/);
      }
      // Ada's browse and quiz journeys, triggered by browser-only events, refuse to show them; Eve's browse
      // recovery shows the product as the shop's server mirrored it.
      const ofAda = runs.filter((r) => r.person_id === 'cus_ada' && !r.journey_id.startsWith('cart-'));
      expect(ofAda.map((r) => [r.journey_id, r.status, r.reason]).sort()).toEqual([
        ['browse-recovery', 'failed', 'not_server_confirmed'],
        ['quiz-follow-up', 'failed', 'not_server_confirmed'],
      ]);
      expect(outbox.filter((m) => m.journey_id === 'browse-recovery').map((m) => m.to_email)).toEqual([
        'eve@example.com',
      ]);
    });
  }
});

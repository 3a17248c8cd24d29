import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { orderCompletedMessageId } from '@/lib/shop/server/ids';
import { uuidV4FromBytes } from '@/lib/tracking/ids';

// The buyer sees their order id (the confirmation URL) and the mirror actions accept the messageId a browser call
// got: an Order Completed id derivable from the order id alone would let a buyer send a mirror under it first,
// which the pipeline keeps in place of the real event (first trusted copy of an id wins).
const saved = process.env.APP_SECRET;
afterAll(() => {
  if (saved === undefined) delete process.env.APP_SECRET;
  else process.env.APP_SECRET = saved;
  resetEnvCache();
});
const withSecret = (secret: string, orderId: string) => {
  process.env.APP_SECRET = secret;
  resetEnvCache();
  return orderCompletedMessageId(orderId);
};

describe("an order's Order Completed messageId", () => {
  const orderId = 'ord_AbCdEfGhIjKlMnOpQrStUvWx';

  it('is a UUID v4, the same every time for the same order (a retried checkout sends the same call)', () => {
    const id = withSecret('first-app-secret-0123456789', orderId);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(withSecret('first-app-secret-0123456789', orderId)).toBe(id);
    expect(withSecret('first-app-secret-0123456789', 'ord_another')).not.toBe(id);
  });

  it('cannot be worked out from the order id without the app secret', () => {
    const id = withSecret('first-app-secret-0123456789', orderId);
    expect(withSecret('other-app-secret-0123456789', orderId)).not.toBe(id);
    // What anyone could compute before: a hash of the order id alone.
    expect(id).not.toBe(uuidV4FromBytes(crypto.createHash('sha256').update(`order-completed:${orderId}`).digest()));
  });
});

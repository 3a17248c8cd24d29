import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnsubscribeToken, verifyUnsubscribeToken } from '@/lib/common/unsubscribe-token';
import { resetEnvCache } from '@/lib/env';
import { cartSnapshotField } from '@/lib/shop/domain/checkout-schema';
import { createRestoreToken, verifyRestoreToken } from '@/lib/shop/server/restore-token';
import { cartAttribute, customerTraits, serverCartProps } from '@/lib/shop/server/tracking';
import { cartAttributeSchema, checkAgainstPlan, SCHEMA_VERSION } from '@/lib/tracking/plan';
import { identifyTraitsSchema } from '@/lib/tracking/identity';

const saved = { APP_URL: process.env.APP_URL, APP_SECRET: process.env.APP_SECRET };
beforeAll(() => {
  Object.assign(process.env, { APP_URL: 'https://shop.example', APP_SECRET: 'cart-attribute-secret-0123456789' });
  resetEnvCache();
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved))
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  resetEnvCache();
});

const lines = [
  { sku: 'GL-SER-NIA-30', quantity: 2 },
  { sku: 'GL-BUN-BARRIER', quantity: 1 },
];

describe('what the shop server puts into events and traits for the emails', () => {
  it('mirrors cart events with a restore link that rebuilds exactly that cart, and passes the plan', async () => {
    const props = await serverCartProps(lines);
    expect(props).toMatchObject({ cart_value: 112, item_count: 3 });
    expect(props.items[0]).toMatchObject({ name: 'Niacinamide 10% Serum', variant_name: '30 ml', price: 24 });
    const token = props.restore_url!.replace('https://shop.example/cart/restore/', '');
    const restored = verifyRestoreToken(token);
    expect(restored.ok && restored.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['GL-SER-NIA-30', 2],
      ['GL-BUN-BARRIER', 1],
    ]);
    const added = { added: { sku: 'GL-BUN-BARRIER', variant_id: props.items[1]!.variant_id, quantity: 1 }, ...props };
    expect(
      checkAgainstPlan({
        type: 'track',
        event: 'Added to Cart',
        properties: { ...added, schema_version: SCHEMA_VERSION },
      }).violations,
    ).toEqual([]);
    // An emptied cart has no link to rebuild.
    expect(await serverCartProps([])).not.toHaveProperty('restore_url');
  });

  it('sets the cart attribute (null once empty) and greets by the first word of the name given', async () => {
    const cart = await cartAttribute(lines);
    expect(cartAttributeSchema.parse(cart)).toEqual(cart);
    expect(await cartAttribute([])).toBeNull();
    const customer = {
      id: 'cus_x',
      email: 'ada@example.com',
      name: '  Ada   Lovelace ',
      hasPassword: true,
      acquisitionSource: null,
      createdAt: '2026-03-01T00:00:00.000Z',
      firstSeenAt: '2026-03-01T00:00:00.000Z',
    };
    expect(customerTraits(customer)).toMatchObject({ email: 'ada@example.com', first_name: 'Ada' });
    expect(customerTraits({ ...customer, name: null })).not.toHaveProperty('first_name');
    expect(identifyTraitsSchema.safeParse({ ...customerTraits(customer), cart, unsubscribed: true }).success).toBe(
      true,
    );
  });

  it("reads the browser's cart for an identify leniently: never a reason to fail a signup", () => {
    expect(cartSnapshotField.parse(JSON.stringify([...lines, { sku: 'GONE-1', quantity: 1 }]))).toEqual(lines);
    expect(cartSnapshotField.parse('not json')).toBeUndefined();
    expect(cartSnapshotField.parse(undefined)).toBeUndefined();
    expect(cartSnapshotField.parse('[]')).toEqual([]);
  });
});

describe('unsubscribe tokens', () => {
  it('name the person, and nothing else passes for one', () => {
    const token = createUnsubscribeToken('cus_ada_0123456789abcdef');
    expect(verifyUnsubscribeToken(token)).toEqual({ ok: true, personId: 'cus_ada_0123456789abcdef' });
    const [payload, signature] = token.split('.');
    expect(verifyUnsubscribeToken(`${payload}.${signature!.slice(1)}A`)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyUnsubscribeToken('nonsense')).toEqual({ ok: false, reason: 'malformed' });
    // A restore token is signed for another purpose.
    const restore = createRestoreToken({ lines: [{ sku: 'A', variantId: 'a', quantity: 1 }] });
    expect(verifyUnsubscribeToken(restore)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

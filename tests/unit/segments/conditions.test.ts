import { describe, expect, it } from 'vitest';
import { EVENT } from '@/lib/cdp/model/event';
import {
  evaluateCondition,
  explainSegment,
  findSegment,
  segmentSchema,
  type Condition,
} from '@/lib/cdp/engine/segments';
import { addToCart, at, identify, order, productViewed, profile, T0 } from '../support/engine-fixtures';

const passes = (condition: Condition, events: Parameters<typeof profile>[0], now = T0) =>
  evaluateCondition(condition, profile(events), { now }).passed;

const addedWithin4h: Condition = { kind: 'performed', event: EVENT.addedToCart, within: '4h' };

describe('performed … within', () => {
  it('includes an event exactly at the window edge and excludes one 1 ms older', () => {
    expect(passes(addedWithin4h, [addToCart(at('-4h'), [['GL-SERUM-30', 1]])])).toBe(true);
    expect(passes(addedWithin4h, [addToCart(at('-4h', -1), [['GL-SERUM-30', 1]])])).toBe(false);
  });

  it('ignores events after now and events of other names', () => {
    expect(passes(addedWithin4h, [addToCart(at('0ms', 1), [['GL-SERUM-30', 1]])])).toBe(false);
    expect(passes(addedWithin4h, [order(at('-1h'))])).toBe(false);
    expect(passes(addedWithin4h, [addToCart(T0, [['GL-SERUM-30', 1]])])).toBe(true);
  });

  it('counts occurrences in the window', () => {
    const twice: Condition = { kind: 'performed', event: EVENT.productViewed, within: '24h', count: { gte: 2 } };
    expect(passes(twice, [productViewed(at('-24h'), 'GL-SERUM-30'), productViewed(at('-1h'), 'GL-CREAM-50')])).toBe(
      true,
    );
    expect(passes(twice, [productViewed(at('-24h', -1), 'GL-SERUM-30'), productViewed(at('-1h'), 'GL-CREAM-50')])).toBe(
      false,
    );
  });

  it('filters on property conditions (eq, gte, lte, exists) with nested paths', () => {
    const cart = [addToCart(at('-1h'), [['GL-SERUM-30', 2]])]; // cart_value 68
    const where = (w: NonNullable<Extract<Condition, { kind: 'performed' }>['where']>) =>
      passes({ ...addedWithin4h, where: w }, cart);
    expect(where([{ path: 'items.0.sku', op: 'eq', value: 'GL-SERUM-30' }])).toBe(true);
    expect(where([{ path: 'items.0.sku', op: 'eq', value: 'GL-CREAM-50' }])).toBe(false);
    expect(where([{ path: 'cart_value', op: 'gte', value: 68 }])).toBe(true);
    expect(where([{ path: 'cart_value', op: 'gte', value: 68.01 }])).toBe(false);
    expect(where([{ path: 'cart_value', op: 'lte', value: 68 }])).toBe(true);
    expect(where([{ path: 'cart_value', op: 'lte', value: 67.99 }])).toBe(false);
    expect(where([{ path: 'items.0.image_url', op: 'exists' }])).toBe(true);
    expect(where([{ path: 'coupon', op: 'exists' }])).toBe(false);
    expect(where([{ path: 'currency', op: 'gte', value: 1 }])).toBe(false);
  });
});

describe('notPerformed', () => {
  const cartThenNoOrder: Condition = {
    kind: 'all',
    conditions: [
      { kind: 'performed', id: 'cart', event: EVENT.addedToCart, within: '4h' },
      { kind: 'notPerformed', event: EVENT.orderCompleted, since: 'condition:cart' },
    ],
  };

  it('since a condition: only events after the latest matching event count against it', () => {
    expect(passes(cartThenNoOrder, [addToCart(at('-2h'), [['GL-SERUM-30', 1]])])).toBe(true);
    expect(passes(cartThenNoOrder, [addToCart(at('-2h'), [['GL-SERUM-30', 1]]), order(at('-1h'))])).toBe(false);
    // Ordered, then started a new cart: the new cart is abandoned again.
    expect(
      passes(cartThenNoOrder, [
        addToCart(at('-3h'), [['GL-SERUM-30', 1]]),
        order(at('-2h')),
        addToCart(at('-1h'), [['GL-CREAM-50', 1]]),
      ]),
    ).toBe(true);
  });

  it('breaks a same-millisecond tie by ingest order', () => {
    expect(
      passes(cartThenNoOrder, [
        addToCart(at('-1h'), [['GL-SERUM-30', 1]], { seq: 900 }),
        order(at('-1h'), { seq: 901 }),
      ]),
    ).toBe(false);
    expect(
      passes(cartThenNoOrder, [
        order(at('-1h'), { seq: 902 }),
        addToCart(at('-1h'), [['GL-SERUM-30', 1]], { seq: 903 }),
      ]),
    ).toBe(true);
  });

  it('fails, saying why, when the referenced condition matched nothing', () => {
    const { passed, result } = evaluateCondition(cartThenNoOrder, profile([]), { now: T0 });
    expect(passed).toBe(false);
    expect(result.children?.[1]?.detail).toBe('condition:cart has no matching event');
  });

  it('within a window: edges as for performed', () => {
    const noRecentOrder: Condition = { kind: 'notPerformed', event: EVENT.orderCompleted, within: '24h' };
    expect(passes(noRecentOrder, [order(at('-24h'))])).toBe(false);
    expect(passes(noRecentOrder, [order(at('-24h', -1))])).toBe(true);
    expect(passes(noRecentOrder, [])).toBe(true);
  });
});

describe('hasAttribute and combinators', () => {
  const hasEmail: Condition = { kind: 'hasAttribute', trait: 'email' };

  it('reads traits known at now, from identify calls', () => {
    expect(passes(hasEmail, [identify(at('-1h'), { email: 'ada@example.com' })])).toBe(true);
    expect(passes(hasEmail, [identify(at('1h'), { email: 'ada@example.com' })])).toBe(false);
    expect(passes(hasEmail, [identify(at('-1h'), { email: '' })])).toBe(false);
    expect(passes(hasEmail, [identify(at('-1h'), { first_name: 'Ada' })])).toBe(false);
  });

  it('any passes when one branch does; all needs every branch', () => {
    const viewed = productViewed(at('-1h'), 'GL-SERUM-30');
    const either: Condition = {
      kind: 'any',
      conditions: [hasEmail, { kind: 'performed', event: EVENT.productViewed }],
    };
    const both: Condition = { kind: 'all', conditions: [hasEmail, { kind: 'performed', event: EVENT.productViewed }] };
    expect(passes(either, [viewed])).toBe(true);
    expect(passes(both, [viewed])).toBe(false);
    expect(passes(either, [])).toBe(false);
  });
});

describe('explainSegment', () => {
  it('lists the failing condition with evidence for the console', () => {
    const segment = findSegment('cart-abandoners')!;
    const add = addToCart(at('-2h'), [['GL-SERUM-30', 1]]);
    const paid = order(at('-1h'));
    const explanation = explainSegment(
      segment,
      profile([identify(at('-3h'), { email: 'ada@example.com' }), add, paid]),
      T0,
    );
    expect(explanation.member).toBe(false);
    expect(explanation.failed).toHaveLength(1);
    expect(explanation.failed[0]?.label).toBe('did not perform Order Completed since condition:cart');
    expect(explanation.failed[0]?.detail).toContain(`#${paid.seq}`);
    expect(explanation.failed[0]?.seqs).toEqual([paid.seq]);
  });
});

describe('segmentSchema', () => {
  const withCondition = (condition: unknown) => segmentSchema.safeParse({ id: 'x', name: 'X', condition });

  it('rejects malformed durations, counts and operators', () => {
    expect(withCondition({ kind: 'performed', event: 'Added to Cart', within: '4hrs' }).success).toBe(false);
    expect(withCondition({ kind: 'performed', event: 'Added to Cart', count: { gte: 0 } }).success).toBe(false);
    expect(
      withCondition({ kind: 'performed', event: 'Added to Cart', where: [{ path: 'cart_value', op: 'gt', value: 1 }] })
        .success,
    ).toBe(false);
    expect(withCondition({ kind: 'all', conditions: [] }).success).toBe(false);
  });

  it('rejects a since that references nothing, something declared later, or a duplicate id', () => {
    const since = { kind: 'notPerformed', event: 'Order Completed', since: 'condition:cart' };
    const cart = { kind: 'performed', id: 'cart', event: 'Added to Cart' };
    expect(withCondition({ kind: 'all', conditions: [since] }).success).toBe(false);
    expect(withCondition({ kind: 'all', conditions: [since, cart] }).success).toBe(false);
    expect(withCondition({ kind: 'all', conditions: [cart, cart, since] }).success).toBe(false);
    expect(withCondition({ kind: 'all', conditions: [cart, since] }).success).toBe(true);
  });
});

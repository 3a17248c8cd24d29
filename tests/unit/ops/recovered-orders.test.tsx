import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RecoveredOrder } from '@/lib/cdp';
import { RecoveredOrders } from '@/components/ops/recovered-orders';

const order = (n: number, currency = 'USD'): RecoveredOrder => ({
  order_id: `ord_${n}`,
  person_id: `cus_${n}`,
  message_id: `msg_${n}`,
  total: 10,
  currency,
  ordered_at: '2026-03-01T10:00:00.000Z',
});

// The count and revenue are of every recovered order; the list is the latest few, and says so when it is not all.
describe('the recovered orders panel', () => {
  it('shows the totals of all orders and says how many of them it lists', () => {
    const html = renderToStaticMarkup(
      <RecoveredOrders
        recovered={{
          count: 1234,
          revenue: [
            { currency: 'USD', total: 12000.5 },
            { currency: 'EUR', total: 40 },
          ],
          latest: [order(1), order(2, 'EUR')],
        }}
      />,
    );
    expect(html).toMatch(/data-testid="recovered-orders"[^>]*>1,234</);
    expect(html).toContain('$12,000.50');
    expect(html).toContain('The latest 2 of 1,234:');
    expect(html).toContain('href="/ops/outbox/msg_2"');
  });

  it('lists all of them without a caption when they fit, and shows zero revenue when there are none', () => {
    expect(
      renderToStaticMarkup(<RecoveredOrders recovered={{ count: 1, revenue: [], latest: [order(1)] }} />),
    ).not.toContain('The latest');
    const none = renderToStaticMarkup(<RecoveredOrders recovered={{ count: 0, revenue: [], latest: [] }} />);
    expect(none).toContain('$0.00');
    expect(none).not.toContain('<ul');
  });
});

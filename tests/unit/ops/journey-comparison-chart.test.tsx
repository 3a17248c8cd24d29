import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JourneySummary } from '@/lib/cdp/ops/contract';
import { JourneyComparisonChart } from '@/components/ops/journey-comparison-chart';

const strategy = (id: 'lookback' | 'hold', mode: 'live' | 'shadow', counts: Partial<JourneySummary> = {}) =>
  ({
    id: `cart-recovery-${id}`,
    name: `Cart recovery: ${id}`,
    group: 'cart-recovery',
    strategy: id,
    mode,
    entered: 0,
    held: 0,
    waiting: 0,
    sent: 0,
    exited: 0,
    failed: 0,
    reasons: {},
    ...counts,
  }) satisfies JourneySummary;

describe('the cart recovery comparison chart', () => {
  it('says how to start the first runs instead of drawing bars of zeros', () => {
    const html = renderToStaticMarkup(
      <JourneyComparisonChart strategies={[strategy('lookback', 'live'), strategy('hold', 'shadow')]} />,
    );
    expect(html).toContain('No cart recovery runs yet');
    expect(html).not.toContain('<svg');
  });

  it('draws one bar per strategy and stage once there are runs, with the figures in its label', () => {
    const html = renderToStaticMarkup(
      <JourneyComparisonChart
        strategies={[strategy('lookback', 'live', { entered: 3, sent: 2 }), strategy('hold', 'shadow', { entered: 1 })]}
      />,
    );
    expect(html).toContain('<svg');
    expect(html.match(/<rect/g)).toHaveLength(12);
    expect(html).toContain('Cart recovery: lookback (live): 3 entered, 0 held now, 0 waiting, 2 sent');
  });
});

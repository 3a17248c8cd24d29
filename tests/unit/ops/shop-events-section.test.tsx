import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { QueueRow, ShopEventsState } from '@/lib/cdp/ops/contract';

vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => {} }) }));
const { ShopEventsSection } = await import('@/components/ops/shop-events-section');

// The console's section for the shop's outbox shows its rows as the forward queue's table does: a row claimed for
// an attempt is in flight (not "next attempt" at its claim's expiry), and only a dead letter has a Replay button.
const row = (over: Partial<QueueRow>): QueueRow => ({
  id: 1,
  message_id: 'm',
  type: 'identify',
  event: null,
  person_key: 'cus_4f9Kx2LmQ8vTz1Ab',
  status: 'pending',
  attempts: 1,
  last_error: 'The pipeline did not acknowledge it',
  created_at: '2026-03-01T10:00:00.000Z',
  failing_since: '2026-03-01T10:00:00.000Z',
  next_attempt_at: null,
  in_flight_since: null,
  in_flight_until: null,
  ...over,
});

describe("the console's section for the shop's outbox", () => {
  it('shows flights, next attempts and dead letters, with Replay on dead letters only', () => {
    const state: ShopEventsState = {
      counts: { pending: 2, sent: 0, dead: 1 },
      oldest_pending_at: '2026-03-01T10:00:00.000Z',
      failing: [
        row({
          id: 3,
          message_id: 'flying',
          in_flight_since: '2026-03-01T11:00:00.000Z',
          in_flight_until: '2026-03-01T11:05:00.000Z',
        }),
        row({ id: 2, message_id: 'waiting', next_attempt_at: '2026-03-01T11:30:00.000Z' }),
        row({ id: 1, message_id: 'dead', status: 'dead', type: 'track', event: 'Added to Cart' }),
      ],
    };
    const html = renderToStaticMarkup(<ShopEventsSection state={state} />);
    expect(html).toContain('In flight since');
    expect(html).toContain('2026-03-01 11:05:00 UTC');
    expect(html).toContain('2026-03-01 11:30:00 UTC');
    expect(html.match(/aria-label="Replay [^"]*"/g)).toEqual([
      'aria-label="Replay all 1 dead server calls"',
      'aria-label="Replay Added to Cart dead"',
    ]);
  });
});

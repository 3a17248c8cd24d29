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
      paused: null,
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

  it('says when the outbox is paused on a refused key, why, the next try and how many calls wait', () => {
    const state: ShopEventsState = {
      counts: { pending: 4, sent: 0, dead: 0 },
      oldest_pending_at: '2026-03-01T10:00:00.000Z',
      failing: [],
      paused: {
        status: 401,
        error:
          'The pipeline at http://shop.test/api/cdp/v1/batch answered 401 Unauthorized: it refused the server write key',
        since: '2026-03-01T10:00:00.000Z',
        at: '2026-03-01T10:01:00.000Z',
        next_try_at: '2026-03-01T10:03:00.000Z',
        refusals: 2,
      },
    };
    const text = renderToStaticMarkup(<ShopEventsSection state={state} />)
      .replace(/<[^>]+>/g, '')
      .replaceAll('&#x27;', "'");
    expect(text).toContain("Paused: the pipeline refused the shop's server calls (401)");
    expect(text).toContain('refused 2 times, last at 2026-03-01 10:01:00 UTC');
    expect(text).toContain('next try at 2026-03-01 10:03:00 UTC; 4 calls waiting');
    expect(text).toContain('it refused the server write key');
    // Nothing failing to list, but the section does not claim all is well.
    expect(text).not.toContain('Nothing failing');
  });
});

import { describe, expect, it } from 'vitest';
import { getAnonymousActivity } from '@/lib/cdp/read/timeline';
import { messageSchema } from '@/lib/cdp/model/message';
import { correctedTimestamp } from '@/lib/cdp/store/events';
import { DAY, freshDb, ingest, MINUTE, T0, track } from './support';

// With a manual pipeline clock, events without sentAt (the node SDK's) must land on the pipeline's time like
// the browser's, or a server mirror sent after a browser event would sort a day before it.
describe('timestamps of senders without sentAt', () => {
  it('are kept as sent when the clock is wall time', () => {
    const message = track('Order Completed', { anonymousId: 'a', timestamp: '2026-03-01T11:59:00.000Z' });
    expect(correctedTimestamp(messageSchema.parse(message), T0)).toBe('2026-03-01T11:59:00.000Z');
  });

  it('move with a manual clock that runs ahead of wall time', async () => {
    const db = await freshDb();
    const wall = new Date(T0.getTime() - DAY); // the manual clock was advanced a day
    const server = track('Order Completed', {
      anonymousId: 'a',
      timestamp: new Date(wall.getTime() - MINUTE).toISOString(),
    });
    await ingest(db, [server], T0, { wallReceivedAt: wall });
    const [event] = (await getAnonymousActivity(db, 'a')).events;
    expect(event!.timestamp).toBe(new Date(T0.getTime() - MINUTE).toISOString());
  });

  it('never land after their arrival, nor out of range, whatever sentAt says', () => {
    const future = track('Product Viewed', { anonymousId: 'a', timestamp: new Date(T0.getTime() + DAY).toISOString() });
    expect(correctedTimestamp(messageSchema.parse(future), T0)).toBe(T0.toISOString());
    const wild = {
      ...track('Product Viewed', { anonymousId: 'a', timestamp: T0.toISOString() }),
      sentAt: '9999-01-01T00:00:00.000Z',
    };
    expect(correctedTimestamp(messageSchema.parse(wild), T0)).toBe(T0.toISOString());
    const skewed = {
      ...track('Product Viewed', { anonymousId: 'a', timestamp: '2026-03-01T13:00:00.000Z' }),
      sentAt: '2026-03-01T13:01:00.000Z',
    };
    expect(correctedTimestamp(messageSchema.parse(skewed), new Date('2026-03-01T12:01:00.000Z'))).toBe(
      '2026-03-01T12:00:00.000Z',
    );
  });
});

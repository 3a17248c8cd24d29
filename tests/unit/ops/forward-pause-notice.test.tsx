import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ForwardPauseNotice } from '@/components/ops/forward-queue-table';
import { forwardingPause, pauseForRefusal, pauseForRetryAfter } from '@/lib/cdp/forward/pause';
import { resetProcessState } from '@/lib/common/process-state';

// The Forwarding page's notice of a process-wide pause (lib/cdp/forward/pause.ts): with a refused key no call is
// dead-lettered any more, so without it the page showed nothing wrong while every call waited.
const AT = Date.UTC(2026, 11, 1, 9, 0, 0);
const MINUTE = 60_000;

afterEach(async () => {
  vi.restoreAllMocks();
  await resetProcessState();
});

describe("the console's notice of paused forwarding", () => {
  it('names the refusal, when it began, the next try and what waits', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    pauseForRefusal(AT, 401, 'Customer.io answered 401 Unauthorized: {"error":"invalid write key"}');
    pauseForRefusal(AT + MINUTE, 401, 'Customer.io answered 401 Unauthorized: {"error":"invalid write key"}');
    const html = renderToStaticMarkup(<ForwardPauseNotice pause={forwardingPause(AT + MINUTE)!} waiting={3} />);
    const text = html.replace(/<[^>]+>/g, '');
    expect(html).toContain('role="alert"');
    expect(text).toContain(
      'Forwarding paused: Customer.io refused the write key (401) at 2026-12-01 09:00:00 UTC, refused 2 times, ' +
        'last at 2026-12-01 09:01:00 UTC; next try at 2026-12-01 09:03:00 UTC; 3 calls waiting.',
    );
    expect(text).toContain('invalid write key');
    // Until a try gets through, even once its time is past (the next pass is due).
    expect(forwardingPause(AT + 60 * MINUTE)).toMatchObject({ kind: 'refused' });
  });

  it('shows a Retry-After while it lasts', () => {
    pauseForRetryAfter(AT + 2 * MINUTE);
    const text = renderToStaticMarkup(<ForwardPauseNotice pause={forwardingPause(AT)!} waiting={1} />).replace(
      /<[^>]+>/g,
      '',
    );
    expect(text).toBe(
      'Forwarding paused: Customer.io asked for no request before 2026-12-01 09:02:00 UTC (Retry-After); 1 call waiting.',
    );
    expect(forwardingPause(AT + 2 * MINUTE)).toBeNull();
  });
});

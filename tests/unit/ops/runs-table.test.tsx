import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JourneyRunView } from '@/lib/cdp/ops/contract';
import { RunsTable } from '@/components/ops/runs-table';

const run = (over: Partial<JourneyRunView>): JourneyRunView => ({
  id: 'run_1',
  journey_id: 'cart-recovery-lookback',
  person_id: 'cus_4f9Kx2LmQ8vTz1Ab',
  profile: 'person',
  status: 'waiting',
  reason: null,
  detail: null,
  shadow: false,
  email_at_trigger: true,
  trigger_seq: 1,
  anchor_seq: 1,
  entered_at: '2026-03-01T10:00:00.000Z',
  due_at: null,
  ended_at: null,
  ...over,
});

// The console links a run's profile to the person's page or the anonymous id's by what the run is, not by the id's
// look: people from other sources have ids that are not the shop's cus_….
describe('the journey runs table', () => {
  it('links people (any id scheme) to their page and anonymous ids to theirs', () => {
    const html = renderToStaticMarkup(
      <RunsTable
        runs={[
          run({ id: 'a', person_id: 'cus_4f9Kx2LmQ8vTz1Ab' }),
          run({ id: 'b', person_id: '42' }),
          run({ id: 'c', person_id: 'user@example.com' }),
          run({ id: 'd', person_id: 'anon-1', profile: 'anonymous' }),
        ]}
      />,
    );
    expect(html).toContain('href="/ops/people/cus_4f9Kx2LmQ8vTz1Ab"');
    expect(html).toContain('href="/ops/people/42"');
    expect(html).toContain('href="/ops/people/user%40example.com"');
    expect(html).toContain('href="/ops/anonymous/anon-1"');
    expect(html).not.toContain('/ops/anonymous/42');
  });
});

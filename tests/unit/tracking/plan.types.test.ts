import { describe, expect, it } from 'vitest';
import type { EventName, EventProps } from '@/lib/tracking/plan';

// Checked by `tsc --noEmit`: each @ts-expect-error line must be a compile error, or tsc fails.
function track<N extends EventName>(name: N, props: EventProps<N>): [N, EventProps<N>] {
  return [name, props];
}

describe('plan types', () => {
  it('accepts planned events and rejects unknown names or wrong properties at compile time', () => {
    const ok = track('Quiz Started', { quiz_id: 'skin-v1' });
    track('Email Captured', { source: 'popup' });
    track('Logged Out', { method: 'user' });

    // @ts-expect-error — not in the plan
    track('add_to_cart', { quiz_id: 'x' });
    // @ts-expect-error — required property missing
    track('Collection Viewed', { collection_id: 'serums', name: 'Serums' });
    // @ts-expect-error — wrong property type
    track('Collection Viewed', { collection_id: 'serums', name: 'Serums', item_count: '3' });
    // @ts-expect-error — not one of the allowed sources
    track('Email Captured', { source: 'banner' });
    // @ts-expect-error — schema_version is stamped by the library, not passed by callers
    track('Quiz Started', { quiz_id: 'skin-v1', schema_version: 1 });

    expect(ok[0]).toBe('Quiz Started');
  });
});

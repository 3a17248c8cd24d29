import { isValidElement, Suspense, type ReactElement } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LoadingSkeleton } from '@/components/ops/loading-skeleton';

// The console's pages by id have no loading.tsx (its skeleton would send a 200 before an unknown id is found), so
// each looks the id up first, then loads the rest inside a Suspense boundary with the skeleton: the page resolves
// (Next sends the status and the shell) before that slow part is read, and an unknown id throws notFound() first.
const reads: string[] = [];
let known = true;
const slow = (name: string, value: unknown) => async () => (reads.push(name), value);
vi.mock('@/lib/cdp', () => ({
  openConsole: async () => ({}),
  getPerson: async (_db: unknown, id: string) => (known ? { id, email: null, traits: {} } : null),
  resolvePersonId: async (_db: unknown, id: string) => id,
  orFirstPage: (read: (c?: string) => Promise<unknown>, cursor?: string) => read(cursor),
  timelinePage: slow('timeline', { items: [], next_cursor: null }),
  timelineCounts: slow('counts', { events: 0, stitched: 0 }),
  timelineDevices: slow('devices', []),
  findSegment: (id: string) => (known ? { id, name: 'Cart abandoners' } : undefined),
  now: async () => new Date(),
  segmentMembers: slow('members', { segment: {}, members: [], next_cursor: null }),
  segmentMemberCount: slow('member count', 0),
  getAnonymousActivity: async (_db: unknown, _id: string, { limit }: { limit?: number } = {}) => {
    if (limit !== 1) reads.push('anonymous timeline');
    return { person_id: null, events: known ? [{}] : [], next_cursor: null };
  },
}));

const pages = {
  person: async () => (await import('@/app/ops/people/[id]/page')).default,
  segment: async () => (await import('@/app/ops/segments/[id]/page')).default,
  'anonymous id': async () => (await import('@/app/ops/anonymous/[anonymousId]/page')).default,
};
const props = (id: string) => ({
  params: Promise.resolve({ id, anonymousId: id }),
  searchParams: Promise.resolve({}),
});

/** The Suspense boundaries in a rendered tree (elements only: async children are not rendered here). */
function boundaries(node: unknown): ReactElement<{ fallback: ReactElement; children: unknown }>[] {
  if (Array.isArray(node)) return node.flatMap(boundaries);
  if (!isValidElement<{ children?: unknown; fallback?: ReactElement }>(node)) return [];
  const own = node.type === Suspense ? [node as ReactElement<{ fallback: ReactElement; children: unknown }>] : [];
  return [...own, ...boundaries(node.props.children)];
}

beforeEach(() => {
  reads.length = 0;
  known = true;
});

describe.each(Object.entries(pages))('the console page of a %s', (_, load) => {
  it('resolves before its slow part is read, which loads behind the skeleton', async () => {
    const Page = await load();
    const tree = await Page(props('known-id') as never);
    expect(reads).toEqual([]);
    const [boundary] = boundaries(tree);
    expect(boundary?.props.fallback.type).toBe(LoadingSkeleton);
  });

  it('answers an unknown id with notFound() before anything is sent', async () => {
    known = false;
    const Page = await load();
    await expect(Page(props('unknown-id') as never)).rejects.toMatchObject({
      digest: expect.stringMatching(/404/),
    });
  });
});

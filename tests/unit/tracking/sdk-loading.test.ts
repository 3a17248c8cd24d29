import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The SDK is loaded in idle steps (lib/tracking/browser.ts, createSdk): evaluating the SDK package, the plan (zod) and
 * the source middleware in one task was most of the blocking time tracking added to a page (BENCHMARKS.md,
 * Lighthouse). Each module below records when it is evaluated; the test runs the page's idle callbacks one at a time
 * and checks that no step evaluates the next one's modules, and that a call made before any of it still goes out.
 */
const evaluated: string[] = [];
const sent: string[] = [];

vi.mock('@customerio/cdp-analytics-browser', () => {
  evaluated.push('sdk package');
  return { AnalyticsBrowser: class {} };
});
vi.mock('@/lib/tracking/plan', async (importOriginal) => {
  evaluated.push('plan');
  return importOriginal();
});
vi.mock('@/lib/tracking/sdk', () => {
  evaluated.push('middleware');
  return {
    createSdk: () => {
      evaluated.push('load');
      return { page: (name: string) => (sent.push(`page ${name}`), Promise.resolve()) };
    },
  };
});

const idle: (() => void)[] = [];

beforeEach(() => {
  idle.length = 0;
  const storage = new Map<string, string>();
  vi.stubGlobal('window', {
    requestIdleCallback: (callback: () => void) => idle.push(callback),
    location: { pathname: '/', hostname: 'shop.test' },
  });
  vi.stubGlobal('document', { cookie: '' });
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => storage.set(k, v),
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Time for a step to go further than it should (dynamic imports of mocked modules take a few macrotasks). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Runs the one idle callback waiting, then checks what it evaluated: that much, and still nothing more after. */
async function runIdleStep(expected: string[]): Promise<void> {
  await vi.waitFor(() => expect(idle.length, 'one idle step waiting').toBe(1));
  idle.shift()!();
  await vi.waitFor(() => expect(evaluated).toEqual(expected));
  await settle();
  expect(evaluated).toEqual(expected);
}

describe('loading the browser SDK', () => {
  it('evaluates the SDK package, the plan and the middleware in separate idle tasks, then sends the queued call', async () => {
    const { page, startTracking } = await import('@/lib/tracking/browser');
    const config = {
      writeKey: 'wk',
      apiHost: 'shop.test/api/cdp/v1',
      protocol: 'http',
      consentMode: 'opt-out',
      strict: false,
    } as const;
    page('Home');
    void startTracking(config as never);
    await settle();
    expect(evaluated).toEqual([]);

    await runIdleStep(['sdk package']);
    await runIdleStep(['sdk package', 'plan']);
    await runIdleStep(['sdk package', 'plan', 'middleware']);
    expect(sent).toEqual([]);
    await runIdleStep(['sdk package', 'plan', 'middleware', 'load']);
    await vi.waitFor(() => expect(sent).toEqual(['page Home']));
    expect(idle).toEqual([]);
  });
});

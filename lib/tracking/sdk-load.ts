'use client';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * What browser.ts imports after hydration, once consent allows: ./sdk, evaluated in three tasks with the browser free
 * in between — the SDK's own code, then zod, the plan and the middleware, then the caller's start of the SDK. As one
 * task it was most of what tracking costs a page (scripts/bench/lighthouse.mjs, on vs off). Apart from browser.ts so
 * that the second import's chunk list is not in every page's first load (scripts/size-budget.mjs).
 */
export async function loadSdkModule(): Promise<typeof import('./sdk')> {
  await import('@customerio/cdp-analytics-browser');
  await nextTask();
  const sdkModule = await import('./sdk');
  await nextTask();
  return sdkModule;
}

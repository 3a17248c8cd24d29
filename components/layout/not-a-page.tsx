'use client';

import { useLayoutEffect, useSyncExternalStore } from 'react';
import { NoPageView } from '@/lib/tracking/react';

// How many "not found" bodies are mounted. The chrome around them (layout) cannot see the page's status, so
// the 404 body tells it: no page call, no email popup for a URL that has no page.
let mounted = 0;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Rendered by the 404 body only. */
export function NotAPage() {
  useLayoutEffect(() => {
    mounted += 1;
    notify();
    return () => {
      mounted -= 1;
      notify();
    };
  }, []);
  return <NoPageView />;
}

/** True while the route on screen is a 404. */
export function usePageMissing(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => mounted > 0,
    () => false,
  );
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { readDocumentConsent, recheckConsent, subscribeConsent } from '@/lib/tracking/consent';

// A choice made in another tab is in the shared cookie, but nothing tells this page: its subscribers (the tracking
// provider) read the cookie again when the page is shown again, and when the tracking layer asks (recheckConsent).
function stubDocument(cookie: string) {
  const doc = Object.assign(new EventTarget(), { cookie, visibilityState: 'visible' as DocumentVisibilityState });
  vi.stubGlobal('document', doc);
  return doc;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a consent choice made in another tab', () => {
  it('is read again when the page is shown again, not while it stays hidden', () => {
    const doc = stubDocument('glowlab_consent=granted');
    const seen: (string | null)[] = [];
    const unsubscribe = subscribeConsent(() => seen.push(readDocumentConsent()));
    doc.cookie = 'glowlab_consent=denied'; // the other tab's Decline
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(seen).toEqual([]);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(seen).toEqual(['denied']);

    // Asked for by the tracking layer (a call about to go out after a Decline it did not know of).
    recheckConsent();
    expect(seen).toEqual(['denied', 'denied']);

    // Unsubscribed, the page stops listening.
    unsubscribe();
    doc.dispatchEvent(new Event('visibilitychange'));
    recheckConsent();
    expect(seen).toEqual(['denied', 'denied']);
  });
});

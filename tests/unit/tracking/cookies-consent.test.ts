import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS_ID_COOKIE,
  anonymousIdCookieOptions,
  isValidAnonymousId,
  normalizeCookieValue,
  readAnonymousId,
  readStoredUserId,
} from '@/lib/tracking/cookies';
import { readConsentChoice, trackingAllowed } from '@/lib/tracking/consent';
import { newMessageId } from '@/lib/tracking/ids';

const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';

describe('anonymous id cookie', () => {
  it('uses the SDK cookie name and a one-year, JS-readable, Lax cookie', () => {
    expect(ANONYMOUS_ID_COOKIE).toBe('ajs_anonymous_id');
    expect(anonymousIdCookieOptions({ secure: true })).toEqual({
      path: '/',
      maxAge: 31_536_000,
      sameSite: 'lax',
      httpOnly: false,
      secure: true,
    });
  });

  it('accepts only UUID v4', () => {
    expect(isValidAnonymousId(ANON)).toBe(true);
    expect(isValidAnonymousId(newMessageId())).toBe(true);
    expect(isValidAnonymousId('9b2f6c1e-3d4a-1b5c-8d6e-7f8091a2b3c4')).toBe(false); // v1
    expect(isValidAnonymousId('anonymous')).toBe(false);
    expect(isValidAnonymousId(undefined)).toBe(false);
  });

  it('reads the id from a Cookie header, plain, URI-encoded or JSON-quoted', () => {
    expect(readAnonymousId(`a=1; ajs_anonymous_id=${ANON}; b=2`)).toBe(ANON);
    expect(readAnonymousId(`ajs_anonymous_id=%22${ANON}%22`)).toBe(ANON);
    expect(readAnonymousId(`ajs_anonymous_id="${ANON}"`)).toBe(ANON);
    expect(readAnonymousId('ajs_anonymous_id=not-a-uuid')).toBeNull();
    expect(readAnonymousId(null)).toBeNull();
    expect(normalizeCookieValue('%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('reads from a Next cookie store', () => {
    const store = new Map([
      [ANONYMOUS_ID_COOKIE, { value: ANON }],
      ['ajs_user_id', { value: 'cus_4f9Kx2LmQ8vTz1Ab' }],
    ]);
    expect(readAnonymousId(store)).toBe(ANON);
    expect(readStoredUserId(store)).toBe('cus_4f9Kx2LmQ8vTz1Ab');
  });
});

describe('consent rule', () => {
  it('opt-out tracks unless declined; opt-in tracks only after accept', () => {
    expect(trackingAllowed('opt-out', null)).toBe(true);
    expect(trackingAllowed('opt-out', 'granted')).toBe(true);
    expect(trackingAllowed('opt-out', 'denied')).toBe(false);
    expect(trackingAllowed('opt-in', null)).toBe(false);
    expect(trackingAllowed('opt-in', 'denied')).toBe(false);
    expect(trackingAllowed('opt-in', 'granted')).toBe(true);
  });

  it('reads the choice cookie', () => {
    expect(readConsentChoice('glowlab_consent=granted')).toBe('granted');
    expect(readConsentChoice('glowlab_consent=denied; x=1')).toBe('denied');
    expect(readConsentChoice('glowlab_consent=maybe')).toBeNull();
  });
});

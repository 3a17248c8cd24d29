import { z } from 'zod';
import type { NextRequest, NextResponse } from 'next/server';
import { secureCookies } from '@/lib/common/cookies';
import { DAY, maxAgeSeconds } from '@/lib/common/duration';
import { isDocumentRequest } from '@/lib/tracking/anonymous-id-proxy';
import { readConsentChoice, trackingAllowed, type ConsentMode } from '@/lib/tracking/consent';
import type { CookieReader } from '@/lib/tracking/cookies';

/**
 * First-touch acquisition source: the `utm_source` of the visit that first brought the shopper here, kept
 * in a first-party cookie for 30 days and written onto the customer row when that customer is created.
 * Later campaigns do not overwrite it (first touch wins); the SDK records every visit's campaign itself.
 */
export const ACQUISITION_COOKIE = 'glowlab_acq';
export const ACQUISITION_MAX_AGE = maxAgeSeconds(30 * DAY);

// A campaign tag, not free text: it ends up in reports and segment rules.
const sourceSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);

export function parseAcquisitionSource(value: unknown): string | null {
  const parsed = sourceSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function readAcquisitionSource(cookies: CookieReader): string | null {
  return parseAcquisitionSource(cookies.get(ACQUISITION_COOKIE)?.value);
}

/** proxy.ts: remembers the landing page's utm_source, once, when consent allows storing anything. */
export function applyAcquisitionSource(
  request: NextRequest,
  response: NextResponse,
  consentMode: ConsentMode,
): NextResponse {
  if (!isDocumentRequest(request) || readAcquisitionSource(request.cookies)) return response;
  if (!trackingAllowed(consentMode, readConsentChoice(request.cookies))) return response;
  const source = parseAcquisitionSource(request.nextUrl.searchParams.get('utm_source'));
  if (source) {
    response.cookies.set(ACQUISITION_COOKIE, source, {
      path: '/',
      maxAge: ACQUISITION_MAX_AGE,
      sameSite: 'lax',
      httpOnly: true,
      secure: secureCookies(request),
    });
  }
  return response;
}

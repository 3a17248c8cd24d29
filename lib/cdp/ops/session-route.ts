import 'server-only';
import { NextResponse } from 'next/server';
import { getDb, type DB } from '@/lib/db';
import { errorResponse } from '@/lib/common/http';
import { checkAttempts, clearAttempts, recordAttempt } from '@/lib/common/attempts';
import { clientAddress } from '@/lib/common/client-address';
import { addressBlock } from '@/lib/common/address-block';
import { readFormData } from '@/lib/common/request-body';
import { createOpsSession, revokeOpsSession } from '@/lib/cdp/store/ops-sessions';
import { opsCookieOptions } from './auth';
import {
  consoleReturnPath,
  isOpsToken,
  OPS_COOKIE,
  OPS_SESSION_TTL_MS,
  opsCookieValue,
  opsToken,
  signInPage,
} from './console-access';
import { crossOriginRefused, isSameOriginRequest } from './same-origin';

const SIGN_IN_FORM = { maxBytes: 16 * 1024, tooLarge: 'The form is larger than 16 KB' };

/** Wrong tokens a client may try in the attempts window before sign-in is refused (lib/common/attempts.ts). */
export const OPS_SIGN_IN_LIMIT = 10;

// Relative Location headers keep the redirect on whatever host the console was opened with.
const redirect = (location: string) =>
  new NextResponse(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });

/** Signs in with `token`, then opens `next` (the page the visitor wanted, kept through a wrong token too). */
async function signIn(db: DB, request: Request, token: string | null, next: unknown): Promise<Response> {
  const back = consoleReturnPath(next);
  // An IPv6 client by its /56: one per address, its own addresses were as many fresh allowances.
  const key = `ops-sign-in:${addressBlock(clientAddress(request.headers))}`;
  const allowance = await checkAttempts(db, [{ key, max: OPS_SIGN_IN_LIMIT }]);
  if (!allowance.allowed)
    return redirect(signInPage(back, { error: 'locked', minutes: String(allowance.retryInMinutes) }));
  // No token at all (the route opened bare, an empty form) is no guess: the sign-in page, nothing counted.
  if (!token) return redirect(signInPage(back));
  if (!isOpsToken(token)) {
    await recordAttempt(db, [key]);
    return redirect(signInPage(back, { error: 'invalid' }));
  }
  await clearAttempts(db, [key]);
  const response = redirect(back);
  response.cookies.set(
    OPS_COOKIE,
    await createOpsSession(db, opsToken(), OPS_SESSION_TTL_MS),
    opsCookieOptions(request),
  );
  return response;
}

/**
 * Whether another site's page made this GET as an image, script, frame or fetch rather than the visitor opening
 * it as a page. Every wrong token counts against the client's sign-in limit, so such requests were a way for any
 * site to lock its visitor's network out of the console: ten `<img src="…/ops?token=x">` did, for 15 minutes.
 * A request from a client that sends no Sec-Fetch headers (a script) is checked and counted as before.
 */
function isForeignSubresource(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  return (site === 'cross-site' || site === 'same-site') && request.headers.get('sec-fetch-dest') !== 'document';
}

/**
 * As opsRoute answers the rest of the ops API: a database that does not answer is a JSON 503 with Retry-After
 * (lib/common/http.ts), not Next's bare 500 page, and anything else a JSON 500.
 */
const answering =
  (handle: (request: Request, db?: DB) => Promise<Response>) =>
  (request: Request, db?: DB): Promise<Response> =>
    handle(request, db).catch(errorResponse);

/** `/ops?token=…` (any console page) lands here: a new session, and the token dropped from the address bar. */
export const handleOpsSessionGet = answering(async (request, db) => {
  // Refused before the token is looked at: nothing recorded, nothing learnt about the token.
  if (isForeignSubresource(request))
    return Response.json(
      { error: "Refused: a sign-in link works when opened as a page, not from another site's image, frame or script" },
      { status: 403, headers: { 'Cache-Control': 'no-store' } },
    );
  const query = new URL(request.url).searchParams;
  return signIn(db ?? (await getDb()), request, query.get('token'), query.get('next'));
});

/** The console's sign-in form (token) and sign-out button (intent=logout); only from the console's own pages. */
export const handleOpsSessionPost = answering(async (request, db) => {
  if (!isSameOriginRequest(request)) return crossOriginRefused();
  const database = db ?? (await getDb());
  // Read through readFormData, so a body that never arrives in full cannot hold the request open.
  const form = await readFormData(request, SIGN_IN_FORM).catch(() => null);
  if (form?.get('intent') === 'logout') {
    const session = opsCookieValue(request);
    if (session) await revokeOpsSession(database, session, opsToken());
    const response = redirect('/ops/login');
    response.cookies.set(OPS_COOKIE, '', { ...opsCookieOptions(request), maxAge: 0 });
    return response;
  }
  const token = form?.get('token');
  return signIn(database, request, typeof token === 'string' ? token.trim() : null, form?.get('next'));
});

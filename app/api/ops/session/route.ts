import { NextResponse } from 'next/server';
import { readFormData } from '@/lib/common/request-body';
import { isOpsToken, OPS_COOKIE, opsCookieOptions, opsSessionValue } from '@/lib/cdp';

const SIGN_IN_FORM = { maxBytes: 16 * 1024, tooLarge: 'The form is larger than 16 KB' };

// Relative Location headers keep the redirect on whatever host the console was opened with.
const redirect = (location: string) =>
  new NextResponse(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });

function signIn(request: Request, token: string | null) {
  if (!isOpsToken(token)) return redirect('/ops/login?error=invalid');
  const response = redirect('/ops');
  response.cookies.set(OPS_COOKIE, opsSessionValue(), opsCookieOptions(request));
  return response;
}

/** `/ops?token=…` lands here: set the session cookie and drop the token from the address bar. */
export function GET(request: Request) {
  return signIn(request, new URL(request.url).searchParams.get('token'));
}

/** The console's sign-in form (token) and sign-out button (intent=logout). */
export async function POST(request: Request) {
  // Read through readFormData, so a body that never arrives in full cannot hold the request open.
  const form = await readFormData(request, SIGN_IN_FORM).catch(() => null);
  if (form?.get('intent') === 'logout') {
    const response = redirect('/ops/login');
    response.cookies.set(OPS_COOKIE, '', { ...opsCookieOptions(request), maxAge: 0 });
    return response;
  }
  const token = form?.get('token');
  return signIn(request, typeof token === 'string' ? token.trim() : null);
}

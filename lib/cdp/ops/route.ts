import 'server-only';
import { z } from 'zod';
import { getDb, type DB } from '@/lib/db';
import { errorResponse, HttpError, toProblems } from '@/lib/common/http';
import { readBody } from '@/lib/common/request-body';
import { bodyText, refuseUnreadableCharset } from '@/lib/common/json-body';
import { resolvePersonId } from '@/lib/cdp/store/profiles';
import { opsAuthentication } from './auth';
import { crossOriginRefused, isSameOriginRequest } from './same-origin';

type Params = Record<string, string | string[]>;
export type OpsContext<P extends Params = Record<string, never>> = { request: Request; db: DB; params: P };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Wraps an /api/ops route: token check (401), the same-origin check for changes the console's cookie makes (403,
 * see same-origin.ts; bearer-token clients need none), JSON answer, `{ error }` for anything that goes wrong.
 * `response` is the route's schema in ./contract.ts: the handler must return that shape (checked at compile
 * time; the e2e tests parse real answers with it) or a Response for errors. Ops data is personal data and
 * changes constantly, so nothing is cached.
 */
export function opsRoute<S extends z.ZodType, P extends Params = Record<string, never>>(
  response: S,
  handler: (ctx: OpsContext<P>) => Promise<z.input<S> | Response>,
) {
  return async (request: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    // An id or a search with a NUL character matches nothing on SQLite but is an error on PostgreSQL (its text
    // cannot hold one): refused here, the same on both, before anything reaches a query.
    if (/%00/.test(request.url))
      return errorResponse(new HttpError(400, 'The URL must not contain NUL characters (%00)'));
    try {
      // Inside the try: a database that does not answer is a JSON 503 here too (errorResponse), not Next's 500 page.
      const db = await getDb();
      const authenticated = await opsAuthentication(db, request);
      if (!authenticated) {
        return Response.json(
          { error: 'Send Authorization: Bearer <ops token> (OPS_TOKEN, or the token printed at start-up)' },
          { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
        );
      }
      if (authenticated === 'cookie' && !SAFE_METHODS.has(request.method) && !isSameOriginRequest(request))
        return crossOriginRefused();
      const body = await handler({ request, db, params: await ctx.params });
      return body instanceof Response ? body : Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * The query string by the route's schema (an object of its parameters), else a 400 naming each problem. A parameter
 * the route does not take is a 400 too, not ignored: a mistyped filter (`?reasn=`) or a `cursor` on a list that is
 * not paginated would otherwise answer a different list than the one asked for, silently.
 */
export function parseQuery<S extends z.ZodObject>(request: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const known = Object.keys(schema.shape);
  const unknown = Object.keys(params).filter((name) => !known.includes(name));
  if (unknown.length) {
    const takes = known.length ? `it takes ${known.join(', ')}` : 'it takes none';
    throw new HttpError(400, `Unknown query parameter ${unknown.join(', ')}: ${takes}`);
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw new HttpError(400, 'Invalid query parameters', toProblems(parsed.error));
  return parsed.data;
}

/** The query schema of a route that takes no parameters (lists that are not paginated): any is a 400. */
export const NO_QUERY = z.object({});

const SEND_AN_OBJECT = 'send a JSON object of the options ({} for none)';

/** The ops API's commands are a few fields each. */
const MAX_OPS_BODY_BYTES = 16 * 1024;

/**
 * An ops command's body by the route's schema, else a 400 naming each problem: read as the ingest reads its bodies
 * (UTF-8, a leading BOM skipped, another charset a 415). Every ops command with a JSON body reads it here, so none
 * takes a malformed body, or a key it does not know (a strict schema), and acts as if it had read it.
 */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  refuseUnreadableCharset(request.headers.get('content-type'));
  const bytes = await readBody(request, { maxBytes: MAX_OPS_BODY_BYTES, tooLarge: 'The body is larger than 16 KB' });
  const text = bodyText(bytes);
  if (!text.trim()) throw new HttpError(400, `The body is empty: ${SEND_AN_OBJECT}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON');
  }
  // Every command is an object; zod would say "Invalid input: expected object, received array".
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, `The body is not a JSON object: ${SEND_AN_OBJECT}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'Invalid request body', toProblems(parsed.error));
  return parsed.data;
}

export const notFound = (message: string, extra: Record<string, unknown> = {}) =>
  Response.json({ error: message, ...extra }, { status: 404, headers: { 'Cache-Control': 'no-store' } });

/** 404 for a person id; one that was merged away says where it went. */
export async function personNotFound(db: DB, id: string): Promise<Response> {
  const mergedInto = await resolvePersonId(db, id);
  return mergedInto === id
    ? notFound(`No person with id ${id}`)
    : notFound(`Person ${id} was merged into ${mergedInto}`, { merged_into: mergedInto });
}

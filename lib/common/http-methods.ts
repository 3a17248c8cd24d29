/**
 * RFC 9110 §15.5.6: a 405 must say which methods the resource allows (`Allow`). Next answers a method a route file
 * does not export with a bare 405, and its automatic OPTIONS lists every exported method, so a route file exports
 * `otherMethods(...)`'s handlers for every method it does not serve:
 *
 *   export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
 *
 * Each answers 405 with `Allow` (OPTIONS: 204 with it), and tests/unit/architecture/route-methods.test.ts checks
 * that every route under app/api leaves none to Next and that `Allow` names exactly the methods it serves.
 */

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Refusal = ((request: Request) => Response) & { readonly allow: string };

/** The `Allow` value for a route serving `methods`: HEAD comes with GET (Next answers it with GET's handler). */
export function allowHeader(methods: readonly HttpMethod[]): string {
  const allowed = new Set<HttpMethod>([...methods, 'OPTIONS']);
  if (allowed.has('GET')) allowed.add('HEAD');
  return [...allowed].sort().join(', ');
}

/**
 * Handlers for every method but `served` (and HEAD when GET is served): 405 with `Allow`, and OPTIONS (unless the
 * route serves its own, e.g. the ingest's CORS preflight) 204 with `Allow`.
 */
export function otherMethods<const S extends HttpMethod>(
  ...served: S[]
): Record<Exclude<HttpMethod, S | ('GET' extends S ? 'HEAD' : never)>, Refusal> {
  const allow = allowHeader(served);
  const refuse = (status: number) =>
    Object.assign(
      () =>
        new Response(status === 405 ? JSON.stringify({ error: `Method not allowed: use ${allow}` }) : null, {
          status,
          headers: {
            Allow: allow,
            'Cache-Control': 'no-store',
            ...(status === 405 ? { 'Content-Type': 'application/json' } : {}),
          },
        }),
      { allow },
    );
  const handlers: Partial<Record<HttpMethod, Refusal>> = {};
  for (const method of HTTP_METHODS) {
    if ((served as readonly HttpMethod[]).includes(method) || (method === 'HEAD' && served.includes('GET' as S)))
      continue;
    handlers[method] = refuse(method === 'OPTIONS' ? 204 : 405);
  }
  return handlers as Record<Exclude<HttpMethod, S | ('GET' extends S ? 'HEAD' : never)>, Refusal>;
}

// Plain JavaScript (declared in url-path.d.mts) because scripts/serve.mjs, which Node runs as is, uses it too.

/**
 * A path whose percent escapes cannot be decoded (`%ZZ`, a lone `%`, escapes of bytes that are not UTF-8) makes
 * Next.js answer any dynamic route with a bare 500 before app code runs. Such a segment is taken as typed: its
 * `%` signs are escaped as `%25`, so the route receives the literal text and answers as it does for any unknown
 * handle or id. Returns the repaired path, or null when every segment decodes (nearly always: no `%` at all).
 * proxy.ts does it as a rewrite, which is enough for .next/standalone/server.js and a server given a hostname; run
 * in place without one (`npm start`, `next start`) Next.js still decoded the path as sent and answered 500, so
 * scripts/serve.mjs repairs req.url first.
 * @param {string} pathname
 * @returns {string | null}
 */
export function escapeUndecodablePath(pathname) {
  if (!pathname.includes('%')) return null;
  let repaired = false;
  const segments = pathname.split('/').map((segment) => {
    try {
      decodeURIComponent(segment);
      return segment;
    } catch {
      repaired = true;
      return segment.replaceAll('%', '%25');
    }
  });
  return repaired ? segments.join('/') : null;
}

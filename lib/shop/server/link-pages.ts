import 'server-only';
import { unsubscribeLinkStatus } from '@/lib/common/unsubscribe-token';
import { restoreLinkStatus } from './restore-token';

export type LinkPageStatus = 404 | 410 | null;

/**
 * Pages a signed link from an email opens, each with its path (the one group is the token, as it appears in the
 * URL) and the status its page answers with: 410 for a link that expired, 404 for one that never was a link, null
 * (200) for a valid one. proxy.ts sets it, because a page cannot; the page itself explains and leads on.
 *
 * So a link's token is verified twice per request, here and by its page, deliberately: the proxy has no channel
 * to the page but request headers, which a client can send too, and the proxy does not see every request (its
 * matcher skips one with a Content-Length, a HEAD skips this check), so a page trusting a "verified" header could
 * be handed a forged cart. A check is one HMAC over a short token (microseconds); the page must not skip it.
 */
const LINK_PAGES: readonly { path: RegExp; status: (token: string) => Promise<LinkPageStatus> }[] = [
  { path: /^\/cart\/restore\/([^/]+)$/, status: restoreLinkStatus },
  { path: /^\/unsubscribe\/([^/]+)$/, status: unsubscribeLinkStatus },
];

/** The status of the link page at `pathname`, or null when it is no link page (answered as usual). */
export function linkPageStatus(pathname: string): Promise<LinkPageStatus> | null {
  for (const page of LINK_PAGES) {
    const token = page.path.exec(pathname)?.[1];
    if (token !== undefined) return page.status(token);
  }
  return null;
}

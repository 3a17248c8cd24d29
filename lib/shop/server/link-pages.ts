import 'server-only';
import { unsubscribeLinkStatus } from '@/lib/common/unsubscribe-token';
import { restoreLinkStatus } from './restore-token';

export type LinkPageStatus = 404 | 410 | null;

/**
 * Pages a signed link from an email opens, each with its path (the one group is the token, as it appears in the
 * URL) and the status its page answers with: 410 for a link that expired, 404 for one that never was a link, null
 * (200) for a valid one. proxy.ts sets it, because a page cannot; the page itself explains and leads on.
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

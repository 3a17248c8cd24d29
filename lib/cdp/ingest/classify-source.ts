import type { IngestMessage } from '@/lib/cdp/model/message';
import type { Source } from '@/lib/cdp/model/stored-event';

/** `context.library.name` each SDK stamps on its calls (read from the SDKs' source). */
export const BROWSER_LIBRARY = 'analytics.js';
export const NODE_LIBRARY = '@customerio/cdp-analytics-node';

/** Who sent a call: the browser SDK is `client`, the node SDK `server`; unknown senders by how they authenticated. */
export function classifySource(message: IngestMessage, basicAuth: boolean): Source {
  const library = (message.context as { library?: { name?: unknown } }).library?.name;
  if (library === BROWSER_LIBRARY) return 'client';
  if (library === NODE_LIBRARY) return 'server';
  return basicAuth ? 'server' : 'client';
}

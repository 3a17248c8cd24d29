import { enforcePlan } from './enforce';
import { identityRejection } from './identity-guard';
import { IDENTITY_SIGNATURE_CONTEXT_KEY, signedUserId } from './identity-signature-token';
import { logError } from './log';
import { SCHEMA_VERSION } from './schema-version';
import { hasPrivateUrls, redactUrlFields, type PrivateUrls } from './private-urls';

/** The slice of the SDK's event object this middleware touches. */
export type SdkEvent = {
  type: string;
  event?: string;
  name?: string;
  userId?: string | null;
  anonymousId?: string | null;
  messageId?: string;
  properties?: Record<string, unknown>;
  context?: Record<string, unknown>;
};
export type SourceMiddlewareParams = { payload: { obj: SdkEvent }; next: (payload: { obj: SdkEvent }) => void };

/**
 * Runs on every browser call before it leaves the page. Not calling `next` drops the event.
 * - messageId: the browser SDK puts a caller's messageId in `context.messageId`; move it to the top level
 *   so a server-side mirror with the same id is deduplicated by the pipeline.
 * - schema_version is stamped on track and page properties.
 * - the plan and the identity guard are checked again here, so calls made on the SDK directly are covered too.
 * - identify (with a userId) and alias calls get the identity signature the shop's server handed over (the
 *   cookie `readSignature` returns), when it was minted for that userId; the pipeline holds unsigned ones back.
 * - the secrets `privateUrls` names are taken out of the page's address in every call (./private-urls.ts).
 */
export function createSourceMiddleware({
  isStopped,
  strict,
  readSignature = () => null,
  privateUrls,
}: {
  isStopped: () => boolean;
  strict: boolean;
  readSignature?: () => string | null;
  privateUrls?: PrivateUrls;
}) {
  return function glowlabSourceMiddleware({ payload, next }: SourceMiddlewareParams): void {
    if (isStopped()) return;
    const event = payload.obj;
    const context = event.context;
    if (context && typeof context.messageId === 'string') {
      event.messageId = context.messageId;
      delete context.messageId;
    }
    if (event.type === 'track' || event.type === 'page') {
      event.properties = { ...event.properties, schema_version: SCHEMA_VERSION };
      if (!enforcePlan(event, { strict, throwOnViolation: false })) return;
    }
    if (event.type === 'identify') {
      const rejection = identityRejection(event.userId, { anonymousId: event.anonymousId });
      if (rejection) {
        logError(`identify dropped: ${rejection.message}`);
        return;
      }
    }
    if ((event.type === 'identify' && event.userId) || event.type === 'alias') attachSignature(event, readSignature());
    if (hasPrivateUrls(privateUrls)) redactAddresses(event, privateUrls);
    next(payload);
  };
}

/** A signature passed to identify() explicitly (IdentifyOnce) wins; a token for another user is never attached. */
function attachSignature(event: SdkEvent, token: string | null): void {
  const context = (event.context ??= {});
  if (context[IDENTITY_SIGNATURE_CONTEXT_KEY]) return;
  if (token && signedUserId(token) === event.userId) context[IDENTITY_SIGNATURE_CONTEXT_KEY] = token;
}

/** The page's address as the SDK copied it: into every call's `context.page`, and a page call's properties. */
function redactAddresses(event: SdkEvent, rules: PrivateUrls): void {
  const page = event.context?.page;
  if (page && typeof page === 'object') redactUrlFields(page as Record<string, unknown>, rules);
  if (event.type === 'page') redactUrlFields(event.properties, rules);
}

import 'server-only';
import type { EventName, EventProps } from '@/lib/tracking/plan';
import type { ServerTracker } from '@/lib/tracking/server';
import type { OutboxSender } from './event-outbox';

/**
 * Sends through the shop's server tracker, the road every server event takes (plan check, server key, node SDK
 * with its own quick retries). With the stored ids only: no request's cookie or consent is read at send time
 * (consent was the request's, when the call was recorded), and no identity signature is handed out.
 */
export const trackerSender =
  (tracker: ServerTracker): OutboxSender =>
  async (call) => {
    const { userId, anonymousId, messageId, timestamp } = call;
    const result =
      call.type === 'track'
        ? await tracker.trackServerOnly(call.event as EventName, call.properties as EventProps<EventName>, {
            userId,
            anonymousId,
            messageId,
            timestamp,
          })
        : await tracker.identifyServer(call.userId, call.traits, { anonymousId, messageId, timestamp });
    if (!result.sent)
      return { error: 'The tracker refused it (tracking plan or ids: see the server log)', retry: false };
    if (await result.delivered) return true;
    return { error: 'The pipeline did not acknowledge it (unreachable, or it answered with an error)', retry: true };
  };

import type { TimelineEvent } from '@/lib/cdp/ops/contract';
import { Badge } from './badge';

/**
 * How an event reached the timeline: stitched from an anonymous session, which SDKs sent it, repeats, plan
 * violations.
 */
export function EventBadges({ event }: { event: TimelineEvent }) {
  const anonymous = !event.user_id;
  return (
    <span className="flex flex-wrap gap-1">
      {event.type !== 'track' ? <Badge>{event.type}</Badge> : null}
      {event.stitched ? (
        <Badge tone="amber" title="Sent anonymously, joined to this person by identity stitching">
          anonymous → stitched
        </Badge>
      ) : anonymous ? (
        <Badge tone="amber" title="Sent without a userId">
          anonymous
        </Badge>
      ) : null}
      {event.sources.includes('client') ? (
        <Badge tone="blue" title="Sent by the browser SDK">
          client
        </Badge>
      ) : null}
      {event.sources.includes('server') ? (
        <Badge tone="violet" title="Sent by the server (node SDK)">
          server
        </Badge>
      ) : null}
      {event.seen_count > 1 ? (
        <Badge title="Same messageId received more than once; stored once">×{event.seen_count} duplicates</Badge>
      ) : null}
      {event.violations.length ? (
        <Badge tone="red" title={event.violations.map((v) => v.message).join('\n')}>
          {event.violations.length} plan {event.violations.length === 1 ? 'violation' : 'violations'}
        </Badge>
      ) : null}
    </span>
  );
}

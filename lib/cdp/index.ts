import 'server-only';

/**
 * The pipeline's read API for the rest of lib/cdp (segments, journeys, messages) and the console.
 * The shop never imports lib/cdp: it talks to the pipeline over HTTP through lib/tracking.
 */
export { now } from '@/lib/cdp/store/clock';
export { getPerson, listPeople, type Person, type PersonSummary, type ListPeopleOptions } from '@/lib/cdp/read/people';
export {
  getTimeline,
  getAnonymousActivity,
  listAnonymousVisitors,
  toTimelineEvent,
  type TimelineEvent,
  type AnonymousActivity,
  type AnonymousVisitor,
} from '@/lib/cdp/read/timeline';
export { qualityReport, type QualityRow } from '@/lib/cdp/read/quality-report';
export { registerJob, type JobContext } from '@/lib/cdp/runtime/scheduler';
export type { StoredEvent, Source } from './model/stored-event';

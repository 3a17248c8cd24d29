import 'server-only';

/**
 * The pipeline's read API for the rest of lib/cdp (segments, journeys, messages) and the console.
 * The shop never imports lib/cdp: it talks to the pipeline over HTTP through lib/tracking.
 */
export { now } from './clock';
export { getPerson, listPeople, type Person, type PersonSummary, type ListPeopleOptions } from './people';
export {
  getTimeline,
  getAnonymousActivity,
  listAnonymousVisitors,
  toTimelineEvent,
  type TimelineEvent,
  type AnonymousActivity,
  type AnonymousVisitor,
} from './timeline';
export { qualityReport, type QualityRow } from './quality';
export { registerJob, type JobContext } from './scheduler';
export type { StoredEvent, Source } from './store/events';

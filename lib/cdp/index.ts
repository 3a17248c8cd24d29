import 'server-only';

/**
 * The pipeline's one door for the rest of the app: route handlers and console pages (app/), the console's
 * components (components/ops) and instrumentation.ts import lib/cdp only from here, plus the pure
 * `@/lib/cdp/ops/contract` (the ops API's shapes, also for client components and tests). Everything else in
 * lib/cdp is internal and may move; the boundaries lint rule and tests/unit/architecture enforce it.
 * The shop never imports lib/cdp: it talks to the pipeline over HTTP through lib/tracking.
 */

// HTTP edge: ingest, the cron tick, the ops API and the console's session.
export { handleIngest, handlePreflight } from './ops/ingest-route';
export { publishIngestFastPath } from './ops/ingest-fast-path';
export { handleCronTick } from './ops/cron-route';
export { NO_QUERY, notFound, opsRoute, parseJsonBody, parseQuery, personNotFound, type OpsContext } from './ops/route';
export { replayRoute } from './ops/replay-route';
export { announceOpsConsole, hasOpsSession, openConsole } from './ops/auth';
export { consoleReturnPath, tokenSignIn } from './ops/console-access';
export { handleOpsSessionGet, handleOpsSessionPost } from './ops/session-route';
export { forwardingState, ingestSpoolState, replayDeadLetters, type IngestSpoolState } from './ops/forwarding';
export { forwardingPause, type ForwardPause } from './forward/pause';
export { journeyRunsQuery } from './ops/journey-runs-query';

// Read models for the API and the console.
export { getPerson, listPeople, type ListPeopleOptions } from './read/people';
export { getAnonymousActivity, getTimeline, timelineCounts, timelineDevices, timelinePage } from './read/timeline';
export { listAnonymousVisitors, type AnonymousVisitor } from './read/anonymous-visitors';
export { qualityReport } from './read/quality-report';
export { listRejections } from './read/rejections';
export { funnel, type FunnelStep } from './read/funnel';
export { getOutboxMessage, listOutbox } from './read/outbox';
export {
  journeySummaries,
  recentRuns,
  recoveredOrders,
  type RecoveredOrder,
  type RecoveredOrders,
} from './read/journey-report';
export { listSegments, segmentMemberCount, segmentMembers } from './read/segment-membership';
export { orFirstPage } from './read/page';
export { resolvePersonId } from './store/profiles';

// The pipeline clock and the jobs that follow it.
export { advanceClock, moveClockTo, now } from './store/clock';
export { registerCdpJobs } from './runtime/jobs';
export { journeyPass } from './runtime/journey-pass';
export { registerJob, tickJobs, type JobContext } from './runtime/scheduler';
export { startPipelineOrExit } from './runtime/start';

// Definitions the console lists, and its money format.
export { builtInJourneys } from './engine/journeys/builtins';
export { builtInSegments, findSegment } from './engine/segments/builtins';
export { formatAmount } from './model/money';

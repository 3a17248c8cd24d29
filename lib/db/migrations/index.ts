import type { Migration } from 'kysely';
import { shopMigration } from './0001-shop';
import { cdpMigration } from './0002-cdp';
import { journeysMigration } from './0003-journeys';
import { ordersMigration } from './0004-orders';
import { jobLeasesMigration } from './0005-job-leases';
import { trustMigration } from './0006-trust';
import { mergedEventsMigration } from './0007-merged-events';
import { rejectionsMigration } from './0008-rejections';
import { firstLinkMigration } from './0009-first-link';
import { forwardRetryMigration } from './0010-forward-retry';
import { journeyRunsStatusMigration } from './0011-journey-runs-status';
import { readIndexesMigration } from './0012-read-indexes';
import { profileIndexesMigration } from './0013-profile-indexes';
import { personActionsMigration } from './0014-person-actions';
import { outboxPersonMigration } from './0015-outbox-person';
import { purgeIndexesMigration } from './0016-purge-indexes';
import { purgeKeptCallsMigration } from './0017-purge-kept-calls';
import { forwardClaimedAtMigration } from './0018-forward-claimed-at';
import { orderDiscountMigration } from './0019-order-discount';
import { namedUserIndexMigration } from './0020-named-user-index';
import { shopEventOutboxMigration } from './0021-shop-event-outbox';
import { emailDomainsMigration } from './0022-email-domains';
import { journeyRunsIndexesMigration } from './0023-journey-runs-indexes';
import { outboxReadIndexesMigration } from './0024-outbox-read-indexes';
import { qualityIndexesMigration } from './0025-quality-indexes';
import { anonymousVisitorsIndexMigration } from './0026-anonymous-visitors-index';
import { journeyRunsDueMigration } from './0027-journey-runs-due';
import { trackNameIndexesMigration } from './0028-track-name-indexes';
import { serialWritersMigration } from './0029-serial-writers';
import { spoolLedgerMigration } from './0032-spool-ledger';
import { opsSessionIdleMigration } from './0040-ops-session-idle';
import { browserCartWritesMigration } from './0041-browser-cart-writes';
import { heldForwardRetentionMigration } from './0042-held-forward-retention';
import { dropInvalidEventsIndexMigration } from './0043-drop-invalid-events-index';

/**
 * Migrations are listed here statically (not read from a folder at run time) so the bundler sees them.
 * Names sort in the order they run; never edit one that has shipped, add a new one.
 */
export const migrations: Record<string, Migration> = {
  '0001-shop': shopMigration,
  '0002-cdp': cdpMigration,
  '0003-journeys': journeysMigration,
  '0004-orders': ordersMigration,
  '0005-job-leases': jobLeasesMigration,
  '0006-trust': trustMigration,
  '0007-merged-events': mergedEventsMigration,
  '0008-rejections': rejectionsMigration,
  '0009-first-link': firstLinkMigration,
  '0010-forward-retry': forwardRetryMigration,
  '0011-journey-runs-status': journeyRunsStatusMigration,
  '0012-read-indexes': readIndexesMigration,
  '0013-profile-indexes': profileIndexesMigration,
  '0014-person-actions': personActionsMigration,
  '0015-outbox-person': outboxPersonMigration,
  '0016-purge-indexes': purgeIndexesMigration,
  '0017-purge-kept-calls': purgeKeptCallsMigration,
  '0018-forward-claimed-at': forwardClaimedAtMigration,
  '0019-order-discount': orderDiscountMigration,
  '0020-named-user-index': namedUserIndexMigration,
  '0021-shop-event-outbox': shopEventOutboxMigration,
  '0022-email-domains': emailDomainsMigration,
  '0023-journey-runs-indexes': journeyRunsIndexesMigration,
  '0024-outbox-read-indexes': outboxReadIndexesMigration,
  '0025-quality-indexes': qualityIndexesMigration,
  '0026-anonymous-visitors-index': anonymousVisitorsIndexMigration,
  '0027-journey-runs-due': journeyRunsDueMigration,
  '0028-track-name-indexes': trackNameIndexesMigration,
  '0029-serial-writers': serialWritersMigration,
  '0032-spool-ledger': spoolLedgerMigration,
  '0040-ops-session-idle': opsSessionIdleMigration,
  '0041-browser-cart-writes': browserCartWritesMigration,
  '0042-held-forward-retention': heldForwardRetentionMigration,
  '0043-drop-invalid-events-index': dropInvalidEventsIndexMigration,
};

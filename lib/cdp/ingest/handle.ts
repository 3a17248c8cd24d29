import 'server-only';
import type { DB } from '@/lib/db';
import { lockEventWriters } from '@/lib/db/dialect';
import { serializableTransaction } from '@/lib/db/transaction';
import { enqueueForward, recordHeldForward } from '@/lib/cdp/store/forward-queue';
import { applyIdentity, reapplyIdentity } from '@/lib/cdp/identity/apply';
import { refreshSeen } from '@/lib/cdp/store/profiles';
import { checkEvent } from '@/lib/cdp/model/quality';
import { storeEvent } from '@/lib/cdp/store/events';
import type { IngestMessage } from '@/lib/cdp/model/message';
import { identityViolation, verifyIdentityCalls } from './verify-identity';

export type IngestOptions = {
  receivedAt: Date;
  /** Wall time at receipt, when the pipeline clock is manual (see correctedTimestamp); signatures expire on it. */
  wallReceivedAt?: Date;
  /** Sent with the server write key: server-confirmed copies, identity calls applied without a signature. */
  trusted: boolean;
  /** The server write key; identity signatures of untrusted calls are checked with the key derived from it. */
  serverWriteKey: string;
  /** Store and stitch locally (CDP_LOCAL=on). */
  local: boolean;
  /** Queue for Customer.io (proxy mode, CIO_WRITE_KEY set). */
  forward: boolean;
  /** The browser's address, forwarded as `context.ip` (null for server calls or with CDP_FORWARD_IP=off). */
  clientIp?: string | null;
};

export type IngestResult = { stored: number; duplicates: number; forwarded: number };

/**
 * Stores a request's calls in one transaction, in order (an identify followed by tracks in the same batch
 * stitches them). The caller answers 200 only after this resolves, i.e. after the commit. Serializable, so
 * concurrent requests about the same person (or the same messageId) end as if they had arrived one by one.
 * Identity calls are verified first (verify-identity.ts); one that fails is stored with an `unverified_identity`
 * violation and nothing else: not forwarded, not stitched, merged or aliased, and no traits change.
 */
export async function ingestBatch(
  db: DB,
  messages: readonly IngestMessage[],
  opts: IngestOptions,
): Promise<IngestResult> {
  const calls = await verifyIdentityCalls(messages, {
    trusted: opts.trusted,
    serverWriteKey: opts.serverWriteKey,
    now: opts.wallReceivedAt ?? opts.receivedAt,
  });
  return serializableTransaction(db, async (trx) => {
    const result: IngestResult = { stored: 0, duplicates: 0, forwarded: 0 };
    if (opts.local) await lockEventWriters(trx, 'shared');
    const touched = new Set<string>();
    for (const { message, identity } of calls) {
      const held = identity.check === 'unverified' ? identity.reason : null;
      if (opts.forward) {
        const ctx = { at: opts.receivedAt, wallAt: opts.wallReceivedAt, clientIp: opts.clientIp };
        if (held) await recordHeldForward(trx, message, ctx, `unverified_identity: ${held}`);
        else if (await enqueueForward(trx, message, ctx)) result.forwarded++;
      }
      if (!opts.local) continue;
      const quality = checkEvent(message);
      const outcome = await storeEvent(trx, message, {
        receivedAt: opts.receivedAt,
        wallReceivedAt: opts.wallReceivedAt,
        source: opts.trusted ? 'server' : 'client',
        trusted: opts.trusted,
        identityCheck: identity.check,
        canonicalName: quality.canonicalName,
        violations: held ? [...quality.violations, identityViolation(message, held)] : quality.violations,
      });
      if ('repeat' in outcome) {
        result.duplicates++;
        // The server's copy replaced a browser copy: place it as the server's ids say.
        const repeat = outcome.repeat;
        if (repeat.confirmed) {
          const moved = await reapplyIdentity(trx, repeat.before, repeat.confirmed, message, opts.receivedAt);
          for (const id of moved) touched.add(id);
        }
        continue;
      }
      result.stored++;
      if (held) continue;
      const personId = await applyIdentity(trx, outcome.stored, message, opts.receivedAt);
      if (personId) touched.add(personId);
    }
    // Once per person rather than per event; nothing in the loop reads first/last seen.
    for (const personId of touched) await refreshSeen(trx, personId);
    return result;
  });
}

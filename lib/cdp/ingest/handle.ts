import 'server-only';
import type { DB } from '@/lib/db';
import { lockEventWriters } from '@/lib/db/dialect';
import { serializableTransaction } from '@/lib/db/transaction';
import { enqueueForward } from '@/lib/cdp/store/forward-queue';
import { applyIdentity } from '@/lib/cdp/identity/apply';
import { refreshSeen } from '@/lib/cdp/store/profiles';
import { checkEvent } from '@/lib/cdp/model/quality';
import { storeEvent } from '@/lib/cdp/store/events';
import { classifySource } from './classify-source';
import type { IngestMessage } from '@/lib/cdp/model/message';

export type IngestOptions = {
  receivedAt: Date;
  /** Wall time at receipt, when the pipeline clock is manual (see correctedTimestamp). */
  wallReceivedAt?: Date;
  basicAuth: boolean;
  /** Store and stitch locally (CDP_LOCAL=on). */
  local: boolean;
  /** Queue for Customer.io (proxy mode, CIO_WRITE_KEY set). */
  forward: boolean;
};

export type IngestResult = { stored: number; duplicates: number; forwarded: number };

/**
 * Stores a request's calls in one transaction, in order (an identify followed by tracks in the same batch
 * stitches them). The caller answers 200 only after this resolves, i.e. after the commit. Serializable, so
 * concurrent requests about the same person (or the same messageId) end as if they had arrived one by one.
 */
export async function ingestBatch(
  db: DB,
  messages: readonly IngestMessage[],
  opts: IngestOptions,
): Promise<IngestResult> {
  return serializableTransaction(db, async (trx) => {
    const result: IngestResult = { stored: 0, duplicates: 0, forwarded: 0 };
    if (opts.local) await lockEventWriters(trx, 'shared');
    const touched = new Set<string>();
    for (const message of messages) {
      if (opts.forward && (await enqueueForward(trx, message, opts.receivedAt))) result.forwarded++;
      if (!opts.local) continue;
      const quality = checkEvent(message);
      const stored = await storeEvent(trx, message, {
        receivedAt: opts.receivedAt,
        wallReceivedAt: opts.wallReceivedAt,
        source: classifySource(message, opts.basicAuth),
        ...quality,
      });
      if (!stored) {
        result.duplicates++;
        continue;
      }
      result.stored++;
      const personId = await applyIdentity(trx, stored, message, opts.receivedAt);
      if (personId) touched.add(personId);
    }
    // Once per person rather than per event; nothing in the loop reads first/last seen.
    for (const personId of touched) await refreshSeen(trx, personId);
    return result;
  });
}

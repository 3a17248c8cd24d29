import 'server-only';
import type { Transaction } from 'kysely';
import type { Database, DB } from '@/lib/db';
import { groupedTransaction } from '@/lib/db/grouped-transaction';
import { enqueueForward, forwardJson, recordHeldForward, UNVERIFIED_USER_ID } from '@/lib/cdp/store/forward-queue';
import { applyIdentity, reapplyIdentity } from '@/lib/cdp/identity/apply';
import { BatchIdentity } from '@/lib/cdp/identity/placement';
import { SeenRefresh } from '@/lib/cdp/store/profiles';
import { touchProfiles } from '@/lib/cdp/store/journey-due';
import { checkEvent } from '@/lib/cdp/model/quality';
import { storeEvent } from '@/lib/cdp/store/events';
import type { IngestMessage } from '@/lib/cdp/model/message';
import { PERSON_ACTIONS, personActionOf, type PersonAction } from '@/lib/cdp/model/semantic-events';
import type { RejectedCall } from '@/lib/cdp/model/rejection';
import { recordRejections } from '@/lib/cdp/store/rejections';
import { claimSpoolEntry } from '@/lib/cdp/store/spool-ledger';
import { deletePerson, firstPersonAction, suppressUser, unsuppressUser } from '@/lib/cdp/store/person-deletion';
import { IngestRefusal, MAX_EVENT_BYTES } from './parse-request';
import {
  changesIdentity,
  identityViolation,
  unverifiedUserIdViolation,
  verifyIdentityCalls,
  type VerifiedCall,
} from './verify-identity';

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
  /** `X-Strict-Mode: 1`: a call refused here (untrusted person action, suppressed id) refuses the request. */
  strict?: boolean;
  /** Calls parse-request.ts refused, recorded in the same transaction. */
  rejected?: readonly RejectedCall[];
  /** The path posted to, for the rejections' record. */
  endpoint?: string;
  /** Each message's place in its batch (batch endpoints): refusals here name it (`batch.3.userId`) as parsing does. */
  batchIndexes?: readonly number[] | null;
  /** The browser's address, forwarded as `context.ip` (null for server calls or with CDP_FORWARD_IP=off). */
  clientIp?: string | null;
  /** A spooled request's id (runtime/spool-drain.ts): noted in the transaction; one noted already is not stored again. */
  spoolEntryId?: string;
};

export type IngestResult = { stored: number; duplicates: number; forwarded: number; rejected: number };

/** What storing verified calls needs: everything but the key their signatures were checked with. */
export type StoreCallsOptions = Omit<IngestOptions, 'serverWriteKey'>;

/**
 * Stores a request's calls in one transaction, in order (an identify followed by tracks in the same batch
 * stitches them); on SQLite, requests arriving side by side share it and its commit (lib/db/grouped-transaction.ts).
 * The caller answers 200 only after this resolves, i.e. after the commit. Serializable, so
 * concurrent requests about the same person (or the same messageId) end as if they had arrived one by one.
 * Identity calls are verified first (verify-identity.ts); one that fails is stored with an `unverified_identity`
 * violation and nothing else: not forwarded, not stitched, merged or aliased, and no traits change.
 * The identity graph is read once for the batch (identity/placement.ts), and again only after a call that changed it.
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
  return storeVerifiedCalls(db, calls, opts);
}

/**
 * ingestBatch's transaction, for calls verified already: the ingest spool (runtime/spool-drain.ts) keeps a request
 * verified when it arrived, so a signature that expired while the database was down still counts as it did then.
 */
export async function storeVerifiedCalls(
  db: DB,
  calls: readonly VerifiedCall[],
  opts: StoreCallsOptions,
): Promise<IngestResult> {
  // Identity changes read and write what concurrent ones do (people, links, emails): on PostgreSQL they take turns
  // instead of failing each other (lib/db/transaction.ts). Unverified ones change nothing, so they never wait.
  const alone =
    opts.local &&
    calls.some(
      ({ message, identity }) =>
        (changesIdentity(message) && identity.check !== 'unverified') || (opts.trusted && !!personActionOf(message)),
    );
  const transaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    groupedTransaction(db, work, { alone, size: Math.max(1, calls.length) });
  return transaction(async (trx) => {
    const result: IngestResult = { stored: 0, duplicates: 0, forwarded: 0, rejected: 0 };
    if (opts.spoolEntryId && !(await claimSpoolEntry(trx, opts.spoolEntryId)))
      return { ...result, duplicates: calls.length };
    // No lockEventWriters(trx, 'shared'): the transaction holds serial_writers shared already, which is that lock.
    const rejected: RejectedCall[] = [...(opts.rejected ?? [])];
    const seen = new SeenRefresh();
    const graph = new BatchIdentity(
      trx,
      calls.map((c) => c.message),
      !opts.trusted,
    );
    for (const [i, { message, identity, needsLink }] of calls.entries()) {
      // Refusal, placement and store answer at once for a batch's ordinary calls (anonymous, no identity change):
      // awaited only when they are promises. `await` on a plain value still makes one, and the promises' async
      // hooks and garbage were a tenth of a browser batch's CPU (issue 13).
      const refusing = refusalOf(graph, message, needsLink, opts.batchIndexes?.[i], opts);
      const refusal = refusing instanceof Promise ? await refusing : refusing;
      if (refusal) {
        rejected.push(refusal);
        continue;
      }
      const held = identity.check === 'unverified' ? identity.reason : null;
      const ctx = { at: opts.receivedAt, wallAt: opts.wallReceivedAt, clientIp: opts.clientIp };
      // What Customer.io will get, with the fields the pipeline fills in (timestamp, messageId, context.ip): a call
      // within 32 KB as received may be over it as sent, and would only ever be dead-lettered. An identity call held
      // for want of a signature is never sent.
      const payload = opts.forward && !held ? forwardJson(message, ctx) : null;
      const bytes = payload === null ? 0 : Buffer.byteLength(payload);
      if (bytes > MAX_EVENT_BYTES) {
        rejected.push(tooLargeToForward(message, bytes, opts.batchIndexes?.[i]));
        continue;
      }
      const action = personActionOf(message);
      // Only the server may delete (the browser key's are refused above, before anything is forwarded); a repeat
      // of an action carried out already is a duplicate, neither applied nor forwarded again.
      if (action && !(await firstPersonAction(trx, message.messageId, action, opts.receivedAt))) {
        result.duplicates++;
        continue;
      }
      // A browser call naming a customer it cannot vouch for stays on its anonymous profile (identity/placement.ts).
      const unverifiedUser = needsLink && opts.local && !(await graph.linkedToUser(message));
      if (opts.forward) {
        if (held) await recordHeldForward(trx, message, ctx, `unverified_identity: ${held}`, opts.local);
        else if (unverifiedUser) await recordHeldForward(trx, message, ctx, UNVERIFIED_USER_ID, true, payload!);
        else if (await enqueueForward(trx, message, ctx, payload!)) result.forwarded++;
      }
      if (action && opts.trusted) {
        const deleted = await applyPersonAction(trx, action, message, opts);
        if (deleted) seen.forget(deleted);
        graph.invalidate(i + 1);
      }
      if (!opts.local) continue;
      // Not stored as an event: keeping the call would keep the id the person asked to have removed.
      if (action) continue;
      const quality = checkEvent(message);
      const doubt = held
        ? identityViolation(message, held)
        : unverifiedUser
          ? unverifiedUserIdViolation(message)
          : null;
      // A call that changes no identity is placed as it is stored, from what the batch read (undefined: a person
      // to create first, left to applyIdentity). Identity calls, and held ones, go through applyIdentity; a call
      // whose userId nothing vouched for stays anonymous.
      const placing = unverifiedUser
        ? null
        : held || changesIdentity(message)
          ? undefined
          : graph.placementOf(message, opts.receivedAt);
      const placement = placing instanceof Promise ? await placing : placing;
      const storing = storeEvent(trx, message, {
        receivedAt: opts.receivedAt,
        wallReceivedAt: opts.wallReceivedAt,
        source: opts.trusted ? 'server' : 'client',
        trusted: opts.trusted,
        identityCheck: identity.check,
        canonicalName: quality.canonicalName,
        violations: doubt ? [...quality.violations, doubt] : quality.violations,
        placement,
        // A request's only call: its person's first/last seen need no statement of their own (PostgreSQL).
        refreshSeen: calls.length === 1,
      });
      const outcome = storing instanceof Promise ? await storing : storing;
      if ('repeat' in outcome) {
        result.duplicates++;
        // The server's copy replaced a browser copy: place it as the server's ids say.
        const repeat = outcome.repeat;
        if (repeat.confirmed) {
          const moved = await reapplyIdentity(trx, repeat.before, repeat.confirmed, message, opts.receivedAt);
          seen.settle();
          for (const id of moved) seen.recompute(id);
          // A stored event changed (its content, maybe its person) with no new event to say so: journeys look again.
          await touchProfiles(trx, [repeat.before.person_id ?? repeat.before.anonymous_id, ...moved]);
          graph.invalidate(i + 1);
        }
        continue;
      }
      result.stored++;
      if (held) continue;
      if (placement !== undefined) {
        if (placement && !outcome.seenRefreshed) seen.widen(placement.personId, outcome.stored.timestamp);
        continue;
      }
      const personId = await applyIdentity(trx, outcome.stored, message, opts.receivedAt);
      if (personId) seen.recompute(personId);
      if (changesIdentity(message)) {
        graph.invalidate(i + 1);
        seen.settle();
      } else if (personId) graph.created(personId);
    }
    if (opts.strict && rejected.length > (opts.rejected?.length ?? 0)) {
      // Thrown inside the transaction: it rolls back, and the route records the refusals and answers 400.
      throw new IngestRefusal(
        400,
        'The request has calls the pipeline refuses; nothing was stored',
        rejected,
        rejected.flatMap((r) => r.problems),
      );
    }
    await recordRejections(trx, rejected, {
      endpoint: opts.endpoint ?? 'batch',
      receivedAt: opts.receivedAt,
      strict: !!opts.strict,
    });
    result.rejected = rejected.length;
    // Once per person rather than per event, in one statement per 500 people; nothing in the loop reads them.
    await seen.flush(trx);
    return result;
  });
}

/**
 * Why a verified call is refused here, if it is: a person action (`User Deleted` …) needs the server write key
 * (the browser key is public, and anyone could delete a customer with it), and a suppressed userId stays out.
 * A promise only when the suppression list has to be asked (a call naming a userId or a previousId). `position`:
 * the call's in its batch (undefined for a single call), named in each problem's path.
 */
function refusalOf(
  graph: BatchIdentity,
  message: IngestMessage,
  needsLink: boolean,
  position: number | undefined,
  { trusted, local }: Pick<StoreCallsOptions, 'trusted' | 'local'>,
): RejectedCall | null | Promise<RejectedCall | null> {
  const action = personActionOf(message);
  const refuse = (reason: RejectedCall['reason'], path: string, text: string): RejectedCall => ({
    reason,
    problems: [{ path: position === undefined ? path : `batch.${position}.${path}`, message: text }],
    call: message,
    messageId: message.messageId,
  });
  // Forward-only too: Customer.io would carry out a browser key's deletion, and the browser key is public.
  if (action && !trusted) return refuse('untrusted', 'event', `${action} is accepted only with the server write key`);
  // The suppression list and the identity graph are local state: forward-only, Customer.io applies its own.
  if (!local || action === PERSON_ACTIONS.userUnsuppressed) return null;
  // No anonymous profile to keep it on, and nothing to vouch for the userId (verify-identity.ts).
  if (needsLink && !message.anonymousId)
    return refuse('untrusted', 'userId', 'a userId without an anonymousId is accepted only with the server write key');
  const ids = [message.userId, message.type === 'alias' ? message.previousId : null].filter((id): id is string => !!id);
  if (!ids.length) return null;
  return (async () => {
    for (const id of ids) {
      if (await graph.isSuppressed(id))
        return refuse('suppressed', 'userId', `${id} is suppressed (User Suppressed): send User Unsuppressed first`);
    }
    return null;
  })();
}

/** A call whose forwarded form (`bytes`) is over Customer.io's 32 KB: refused like one over it as received. */
function tooLargeToForward(message: IngestMessage, bytes: number, position: number | undefined): RejectedCall {
  const text = `call is larger than 32 KB as forwarded to Customer.io (${bytes} bytes with the fields the pipeline adds)`;
  return {
    reason: 'too_large',
    problems: [{ path: position === undefined ? '(body)' : `batch.${position}`, message: text }],
    call: message,
    messageId: message.messageId,
  };
}

/**
 * Deletes, suppresses or unsuppresses; returns the id of a person deleted, whose first/last seen need no refresh.
 * With local storage off there is no person and no suppression list, but the forward queue and the refused calls
 * still hold the person's data: deletion clears them in both modes.
 */
async function applyPersonAction(
  db: DB,
  action: PersonAction,
  message: IngestMessage,
  opts: Pick<IngestOptions, 'local' | 'receivedAt'>,
): Promise<string | null> {
  const userId = message.userId!;
  if (action === PERSON_ACTIONS.userUnsuppressed) {
    if (opts.local) await unsuppressUser(db, userId);
    return null;
  }
  if (action === PERSON_ACTIONS.userSuppressed && opts.local) await suppressUser(db, userId, opts.receivedAt);
  return (await deletePerson(db, userId, message.messageId)).personId;
}

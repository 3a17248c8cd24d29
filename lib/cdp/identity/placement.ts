import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { paddedToPowerOfTwo, reusableQuery } from '@/lib/db/reusable-query';
import type { IngestMessage } from '@/lib/cdp/model/message';
import { LATE_EVENT_WINDOW_MS } from '@/lib/cdp/model/windows';
import type { Placement } from '@/lib/cdp/store/events';
import { chunks } from '@/lib/cdp/store/profile-loader';
import { resolvePersonId } from '@/lib/cdp/store/profiles';
import { isSuppressed } from '@/lib/cdp/store/person-deletion';

type UserFacts = { suppressed: Set<string>; merged: Set<string>; people: Set<string> };

/**
 * What a request's calls need to know about the identity graph, read once for the whole batch (ids in chunks of at
 * most 500, each read compiled once per list size: lib/db/reusable-query.ts) instead of once per call (issue 13):
 * which userIds are suppressed or were merged away, which people exist, and which person each anonymous id is linked
 * to and since when.
 *
 * It answers exactly what the per-call reads would, as long as nothing in the batch has changed those tables:
 * the caller calls `invalidate(next)` after any call that may have (an identify with a userId, an alias, a person
 * action, a server copy placed again), and the next question reads them again for the calls from `next` on. A
 * person the ingest creates meanwhile (ensurePerson) is reported with `created`.
 */
export class BatchIdentity {
  private from = 0;
  private ids?: Set<string>;
  private users?: UserFacts;
  private links?: Map<string, { personId: string; linkedAt: number }>;

  /** `untrusted`: sent without the server key, so calls naming a userId ask `linkedToUser` (their ids are read too). */
  constructor(
    private readonly db: DB,
    private readonly messages: readonly IngestMessage[],
    private readonly untrusted = false,
  ) {}

  /** What was read may be stale from here on: the next question reads again for `messages[next…]`. */
  invalidate(next: number) {
    this.from = next;
    this.ids = this.users = this.links = undefined;
  }

  /** A person the ingest just created (ensurePerson): later calls of the batch may go straight to them. */
  created(personId: string) {
    this.users?.people.add(personId);
  }

  /** As store/person-deletion.ts isSuppressed, for an id of the batch's calls (userId, alias previousId). */
  async isSuppressed(id: string): Promise<boolean> {
    const { suppressed } = await this.userFacts();
    return suppressed.has(id) || (!this.known(id) && (await isSuppressed(this.db, id)));
  }

  /**
   * Where a new event of a call that changes no identity goes, as applyIdentity would place it: `null` (stays
   * anonymous), a person, or `undefined` when this needs applyIdentity itself (a person to create first); a promise
   * only when it has to read.
   */
  placementOf(message: IngestMessage, at: Date): Placement | null | undefined | Promise<Placement | null | undefined> {
    if (message.userId) return this.userPlacement(message.userId);
    // Rule 3, as attachLateAnonymousEvent: within 5 minutes of the id's identify it is stitched.
    const anonymousId = message.anonymousId;
    if (!anonymousId) return null;
    const stitched = (links: Map<string, { personId: string; linkedAt: number }>) => {
      const link = links.get(anonymousId);
      if (!link || at.getTime() - link.linkedAt > LATE_EVENT_WINDOW_MS) return null;
      return { personId: link.personId, stitched: true };
    };
    // Answered at once once the batch's links are read: an anonymous call costs no promise (issue 13).
    if (this.links) return stitched(this.links);
    return this.readLinks().then((links) => stitched((this.links ??= links)));
  }

  private async userPlacement(userId: string): Promise<Placement | undefined> {
    const personId = await this.resolve(userId);
    return (await this.userFacts()).people.has(personId) ? { personId, stitched: false } : undefined;
  }

  /**
   * The trust rule for a browser call naming a userId it does not vouch for (verify-identity.ts `needsLink`): it may
   * join that person only when its anonymous id is already linked to them, by a verified identify (earlier, or
   * earlier in this batch: `invalidate` reads the links again) or the server's. Anyone may send any customer's id
   * with the public key; only the shop's server can make that link.
   */
  async linkedToUser(message: IngestMessage): Promise<boolean> {
    if (!message.userId || !message.anonymousId) return false;
    this.links ??= await this.readLinks();
    const link = this.links.get(message.anonymousId);
    return !!link && link.personId === (await this.resolve(message.userId));
  }

  /** resolvePersonId, with one read for the batch: only ids merged away follow their merges one by one. */
  private async resolve(userId: string): Promise<string> {
    const { merged } = await this.userFacts();
    return merged.has(userId) || !this.known(userId) ? resolvePersonId(this.db, userId) : userId;
  }

  private async readLinks() {
    const asks = (m: IngestMessage) => !!m.anonymousId && (!m.userId || this.untrusted);
    const ids = new Set(this.remaining().flatMap((m) => (asks(m) ? [m.anonymousId!] : [])));
    const links = new Map<string, { personId: string; linkedAt: number }>();
    for (const slice of chunks([...ids])) {
      const padded = paddedToPowerOfTwo(slice);
      const { rows } = await this.db.executeQuery(
        reusableQuery(this.db, `placement-links:${padded.length}`, padded, () =>
          this.db
            .selectFrom('cdp_identities')
            .select(['anonymous_id', 'person_id', 'linked_at'])
            .where('anonymous_id', 'in', padded),
        ),
      );
      for (const r of rows) links.set(r.anonymous_id, { personId: r.person_id, linkedAt: Date.parse(r.linked_at) });
    }
    return links;
  }

  /** The ids the remaining calls may ask about: userIds and alias previousIds. */
  private userIds(): Set<string> {
    this.ids ??= new Set(
      this.remaining().flatMap((m) => [m.userId, m.type === 'alias' ? m.previousId : null].filter((id) => !!id)),
    ) as Set<string>;
    return this.ids;
  }

  /** Whether `id` was among the ids read (a question about any other id is answered by the per-call read). */
  private known(id: string): boolean {
    return this.userIds().has(id);
  }

  private remaining() {
    return this.messages.slice(this.from);
  }

  /** One read (per 500 ids) of what the ingest asks about the batch's userIds: suppressed, merged away, existing. */
  private async userFacts(): Promise<UserFacts> {
    if (this.users) return this.users;
    const facts: UserFacts = { suppressed: new Set(), merged: new Set(), people: new Set() };
    const sets = { s: facts.suppressed, m: facts.merged, p: facts.people } as const;
    for (const slice of chunks([...this.userIds()])) {
      const ids = paddedToPowerOfTwo(slice);
      const { rows } = await this.db.executeQuery(
        reusableQuery(this.db, `placement-user-facts:${ids.length}`, [...ids, ...ids, ...ids], () =>
          this.db
            .selectFrom('cdp_suppressions')
            .select([sql.lit('s').as('kind'), 'user_id as id'])
            .where('user_id', 'in', ids)
            .unionAll((db) =>
              db
                .selectFrom('cdp_merges')
                .select([sql.lit('m').as('kind'), 'secondary_id as id'])
                .where('secondary_id', 'in', ids),
            )
            .unionAll((db) =>
              db
                .selectFrom('cdp_people')
                .select([sql.lit('p').as('kind'), 'id'])
                .where('id', 'in', ids),
            ),
        ),
      );
      for (const { kind, id } of rows) sets[kind as keyof typeof sets].add(id);
    }
    this.users = facts;
    return facts;
  }
}

import { domainToASCII, domainToUnicode } from 'node:url';
import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Emails are keyed with their domain in one spelling since this release (lib/tracking/email-domain.ts: Unicode,
 * `user@xn--bcher-kva.de` is `user@bücher.de`). Rows stored before kept the ASCII (`xn--`) spelling a client sent,
 * and a lookup by the new key would no longer find them: those are rewritten. Only rows with an `xn--` label can
 * change (a Unicode domain was stored in its one spelling already, bar exotic width forms), so only they are read.
 * Node's own IDNA does the rewrite (a migration must not change with the app's code, nor may lib/db import it); it
 * spells every valid name as email-domain.ts does (tests/unit/tracking/email-domain.test.ts).
 *
 * A customer whose rewritten email another customer already has (one mailbox signed up under both spellings) is
 * left as it was: merging two accounts, their passwords and orders is a person's decision, not a migration's. Lead
 * ids (a person keyed on an address) and the outbox's sent `to` are history and left as they were too.
 */
const COLUMNS = [
  { table: 'customers', column: 'email', unique: true },
  { table: 'orders', column: 'email', unique: false },
  { table: 'cdp_people', column: 'email', unique: false },
  { table: 'cdp_people', column: 'email_trusted', unique: false },
] as const;

/** The address with its domain in Unicode; as it was unless the domain is a valid IDNA name with a non-ASCII label. */
function unicodeSpelling(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  const unicode = domainToUnicode(domain);
  const valid = at > 0 && /[^\x00-\x7f]/.test(unicode) && domainToASCII(unicode) === domain;
  return valid ? `${email.slice(0, at + 1)}${unicode}` : email;
}

export const emailDomainsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const d = db as Kysely<Record<string, { id: string } & Record<string, string | null>>>;
    for (const { table, column, unique } of COLUMNS) {
      const rows = await d
        .selectFrom(table)
        .select(['id', sql<string>`${sql.ref(column)}`.as('email')])
        .where(sql.ref(column), 'like', '%xn--%')
        .execute();
      for (const row of rows) {
        const email = unicodeSpelling(row.email);
        if (email === row.email) continue;
        if (unique && (await d.selectFrom(table).select('id').where(column, '=', email).executeTakeFirst())) continue;
        await d
          .updateTable(table)
          .set({ [column]: email })
          .where('id', '=', row.id)
          .execute();
      }
    }
  },
  // The Unicode spelling is the same address: nothing to undo.
  async down() {},
};

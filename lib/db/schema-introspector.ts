import {
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

/**
 * What Kysely's Migrator asks before every migration run: whether its own tables (and the schema they go in) exist.
 * Kysely's PostgresIntrospector answers by reading every column of every table in every schema of the database,
 * calling pg_get_serial_sequence on each, so a table another session drops meanwhile (another app's, a test's in
 * another schema) failed the migration with "relation … does not exist", and a start read the whole catalog.
 * The app lives in one schema (search_path): this lists that schema's tables and views, without their columns,
 * which nothing here reads.
 */
export class AppSchemaIntrospector implements DatabaseIntrospector {
  // Kysely's introspectors take an untyped handle: they read the catalog, not the app's tables.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; is_view: boolean }>`
      select c.relname as name, ns.nspname as schema, c.relkind in ('v', 'm') as is_view
      from pg_catalog.pg_class c join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      where ns.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'f')
      order by c.relname`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.is_view, columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** Kysely's PostgresDialect with AppSchemaIntrospector. */
export class AppSchemaPostgresDialect extends PostgresDialect {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new AppSchemaIntrospector(db);
  }
}

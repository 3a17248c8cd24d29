import type { TestProject } from 'vitest/node';
import { createDatabase, providePostgres } from '../../../scripts/postgres.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `postgres` project's database: a URL, or why the suites are skipped. */
    postgres: { url: string } | { skipped: string };
  }
}

/**
 * Global setup of the `postgres` vitest project: PostgreSQL from TEST_DATABASE_URL or a throwaway server
 * (scripts/postgres.mjs), and a database of this run's own, dropped at the end.
 */
export default async function setup(project: TestProject) {
  const server = providePostgres();
  if ('skipped' in server) {
    console.warn(`\n[postgres] PostgreSQL unit suites skipped: ${server.skipped}\n`);
    project.provide('postgres', { skipped: server.skipped });
    return;
  }
  try {
    const database = await createDatabase(server.url, 'glowlab_unit');
    project.provide('postgres', { url: database.url });
    return async () => {
      await database.drop();
      server.stop();
    };
  } catch (error) {
    server.stop();
    throw error;
  }
}

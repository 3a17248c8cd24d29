import { afterAll, afterEach, beforeEach, inject } from 'vitest';
import { closeDatabases, onPostgres, releaseDatabases } from './database';

// Setup file of the storage suites. On the `postgres` project without a server, every test is reported as
// skipped with the reason (never passed). Databases are released after each test and closed after each file.
const provided = onPostgres ? inject('postgres') : undefined;
beforeEach((ctx) => {
  if (provided && 'skipped' in provided) ctx.skip(`PostgreSQL unavailable: ${provided.skipped}`);
});
afterEach(releaseDatabases);
afterAll(closeDatabases);

import { dropDatabase } from '../../../scripts/postgres.mjs';

/** Drops the e2e run's PostgreSQL database (a throwaway server goes away with it anyway; a given one stays clean). */
export default async function teardown() {
  const { E2E_PG_DATABASE_URL: url, E2E_PG_SERVER_URL: serverUrl } = process.env;
  // A throwaway server is deleted with everything in it when the run ends (after the app servers stopped).
  if (!url || !serverUrl || process.env.TEST_DATABASE_THROWAWAY) return;
  await dropDatabase(serverUrl, new URL(url).pathname.slice(1));
}

import pg from 'pg';

/** Drops the e2e run's PostgreSQL database (a throwaway server goes away with it anyway; a given one stays clean). */
export default async function teardown() {
  const { E2E_PG_DATABASE_URL: url, E2E_PG_SERVER_URL: serverUrl } = process.env;
  // A throwaway server is deleted with everything in it when the run ends (after the app servers stopped).
  if (!url || !serverUrl || process.env.TEST_DATABASE_THROWAWAY) return;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
  } finally {
    await client.end();
  }
}

/** Job leases shared by every app instance on one database (lib/db/leases.ts). Times: epoch ms, database clock. */
export interface JobLeasesTable {
  name: string;
  holder: string | null;
  expires_at: number;
  started_at: number;
}

export interface LeaseTables {
  job_leases: JobLeasesTable;
}

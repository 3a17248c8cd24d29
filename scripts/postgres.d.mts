export type ProvidedPostgres = { url: string; stop: () => void } | { skipped: string };
export declare function findServerBinaries(): string | undefined;
export declare function providePostgres(options?: { install?: boolean }): ProvidedPostgres;
export declare function withDatabase(url: string, database: string, params?: Record<string, string>): string;
export declare function createDatabase(
  url: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }>;
export declare function dropDatabase(url: string, name: string): Promise<void>;
export declare function createDatabaseSync(url: string, prefix: string): string;

// Tables owned by lib/cdp (events, people, identities). Filled in by the pipeline work.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as tables are added
export interface CdpTables {}

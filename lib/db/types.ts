import type { CdpTables } from './tables/cdp';
import type { JourneyTables } from './tables/journeys';
import type { LeaseTables } from './tables/leases';
import type { ShopTables } from './tables/shop';

/** The whole database as Kysely sees it: one interface per domain, merged. */
export interface Database extends ShopTables, CdpTables, JourneyTables, LeaseTables {}

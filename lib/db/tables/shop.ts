import type { Generated } from 'kysely';
import type { CdpForwardQueueTable } from './cdp';

// Tables owned by lib/shop. Timestamps are ISO-8601 UTC strings, so they sort and compare as text.

export interface CustomersTable {
  /** Canonical customer id, `cus_<random>`, minted by the server; the only id `identify` ever receives. */
  id: string;
  /** Lower-cased and trimmed; unique. A trait of the customer, never its id. */
  email: string;
  name: string | null;
  /** NULL for guests (checkout, email capture); set when the person signs up or claims the email. */
  password_hash: string | null;
  acquisition_source: string | null;
  created_at: string;
  first_seen_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token, so a copy of the database cannot be replayed as sessions. */
  id: string;
  customer_id: string;
  created_at: string;
  expires_at: string;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  email: string;
  name: string;
  address_line1: string;
  city: string;
  postal_code: string;
  country: string;
  subtotal_cents: number;
  shipping_cents: number;
  tax_cents: number;
  total_cents: number;
  currency: string;
  created_at: string;
  /** 1 when placed by the signed-in owner; only these are listed in the account (see lib/shop/server/orders.ts). */
  placed_signed_in: number;
  /** The human-readable number (shown as GL-10001); unique, from order_number_counter, set for every order. */
  order_number: number;
  /** State/province code for countries that need one (US, CA, AU), else NULL. */
  region: string | null;
  /** The checkout attempt's key (unique): a retry with it gets this order back instead of a second one. */
  idempotency_key: string | null;
  /** The welcome code's discount, off the subtotal before tax; 0 for orders without one (and all older orders). */
  discount_cents: number;
  /** The code applied (WELCOME10), NULL when none. */
  discount_code: string | null;
}

export interface OrderLinesTable {
  id: Generated<number>;
  order_id: string;
  sku: string;
  variant_id: string;
  product_id: string;
  name: string;
  variant_name: string;
  quantity: number;
  unit_price_cents: number;
  line_total_cents: number;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  /** `<email>|<ip>`: a limit per address and client, so one attacker cannot lock everyone out of an account. */
  key: string;
  attempted_at: string;
}

/**
 * A browser (its anonymous id) the shop identified as a customer: signup, login, a guest order that created the
 * customer, an email capture of a new address. Only such a browser (or the signed-in customer) is told anything
 * about that customer, e.g. when it leaves the same email again.
 */
export interface CustomerBrowsersTable {
  anonymous_id: string;
  customer_id: string;
  linked_at: string;
  /** When this browser last set the customer's `cart` attribute; null if it never did. */
  cart_set_at: Generated<string | null>;
}

/** One row (id 1): the last order number handed out. */
export interface OrderNumberCounterTable {
  id: number;
  last_number: number;
}

/**
 * Events the shop's server owes the pipeline (Order Completed), written with the order and sent until acknowledged
 * (lib/shop/server/event-outbox.ts). The forward queue's columns (RetryQueueRow, lib/db/retry-queue.ts); `payload`
 * is the call as the node SDK sends it, `person_key` the customer id, `status` never `held`.
 */
export type ShopEventOutboxTable = Omit<CdpForwardQueueTable, 'status'> & { status: 'pending' | 'sent' | 'dead' };

export interface ShopTables {
  customers: CustomersTable;
  sessions: SessionsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_number_counter: OrderNumberCounterTable;
  login_attempts: LoginAttemptsTable;
  customer_browsers: CustomerBrowsersTable;
  shop_event_outbox: ShopEventOutboxTable;
}

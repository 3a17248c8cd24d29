import { z } from 'zod';
import { DATABASE_URL_HELP, parseDatabaseUrl } from './db/url';

/** Every environment variable the app reads, with its default. The app starts with none of them set. */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

/** An http(s) URL: z.url() alone takes `localhost:3000` (scheme `localhost:`), which then breaks every link. */
const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, message: `must be an http:// or https:// URL, e.g. ${example}` });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  /** Public origin of the shop, used in links inside emails and by the server SDK. */
  APP_URL: httpUrl('https://shop.example.com').optional(),
  /** SQLite file (`file:` prefix optional) or a PostgreSQL URL (`postgres://…`); see lib/db/url.ts. */
  DATABASE_URL: z
    .string()
    .min(1, DATABASE_URL_HELP)
    .default('file:./data/shop.db')
    .superRefine((value, ctx) => {
      const target = parseDatabaseUrl(value);
      if ('error' in target) ctx.addIssue({ code: 'custom', message: target.error });
    }),
  /** Most connections one instance opens to PostgreSQL (ignored for SQLite). Keep it low on serverless hosts. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * PostgreSQL: how long opening a connection, or waiting for a free one of the pool, may take before the request or
   * job gets an error (lib/db/postgres.ts). Ignored for SQLite.
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * PostgreSQL: the longest one statement may run (the server cancels it); an answer that has not come 2 s after it
   * means the server is gone, and the connection is dropped. 0 for no limit. Migrations run without it.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /** Signs order links, sessions-independent tokens and cart-restore links. Generated into data/ when unset. */
  APP_SECRET: z.string().min(16).optional(),
  /** The browser's write key: public (every page carries it), so calls made with it are never trusted. */
  CDP_WRITE_KEY: z.string().min(1).default('glowlab-dev-write-key'),
  /**
   * The SECRET server write key: the shop's node SDK sends it, the pipeline trusts calls made with it, and identity
   * signatures are derived from it. Generated into data/ when unset.
   */
  CDP_SERVER_WRITE_KEY: z.string().min(16, 'must be at least 16 characters: it is a secret').optional(),
  /** `off` stops local storage of events (proxy-only mode, needs CIO_WRITE_KEY). */
  CDP_LOCAL: z.enum(['on', 'off']).default('on'),
  /** `manual`: the pipeline clock jumps through /api/ops/clock (tests, demos) and runs at wall speed in between. */
  CDP_CLOCK: z.enum(['system', 'manual']).default('system'),
  /**
   * `off` stops the in-process minute scheduler: for serverless hosts, or when only some instances should run
   * jobs. Something must then call /api/cron/tick (see CRON_SECRET).
   */
  CDP_SCHEDULER: z.enum(['on', 'off']).default('on'),
  /** Bearer token that /api/cron/tick requires (Vercel Cron sends it); the route is disabled while unset. */
  CRON_SECRET: z.string().min(16, 'CRON_SECRET must be at least 16 characters').optional(),
  /** Extra origins (comma separated) allowed to post to /api/cdp/v1 besides the shop's own. */
  CDP_ALLOWED_ORIGINS: z.string().default(''),
  /** Customer.io Data Pipelines write key: when set, accepted events are forwarded to Customer.io. */
  CIO_WRITE_KEY: z.string().min(1).optional(),
  CIO_REGION: z.enum(['us', 'eu']).default('us'),
  /** Overrides the Customer.io base URL the forwarder posts to (a proxy, or a fake upstream in tests). */
  CIO_API_HOST: httpUrl('http://127.0.0.1:4010').optional(),
  /** `off`: browser calls are forwarded without the client's address as `context.ip` (lib/cdp/README.md). */
  CDP_FORWARD_IP: z.enum(['on', 'off']).default('on'),
  /**
   * Calls per second one client address may send to the ingest without the server write key, counted over 10 s
   * (lib/cdp/ingest/rate-limit.ts); `off` (or 0) for none. Over it, the ingest answers 429 with Retry-After.
   */
  CDP_RATE_LIMIT: z
    .string()
    .regex(/^(?:off|\d{1,6})$/, 'set calls per second per client address (e.g. 100), or off')
    .default('100')
    .transform((v) => (v === 'off' ? 0 : Number(v))),
  /**
   * Bytes of ingest requests one instance may keep in its spool while the database is not answering (lib/cdp/
   * ingest/spool.ts): such requests are written there, answered 200 and stored once it answers. Past it, 503.
   * 0 turns the spool off (every such request is a 503 with Retry-After, as the node SDK expects). Unset: 64 MB, or
   * 0 on a serverless host (VERCEL or AWS_LAMBDA_FUNCTION_NAME set), whose disk does not outlive the instance.
   */
  CDP_SPOOL_MAX_BYTES: z.coerce.number().int().min(0).optional(),
  /** Where the ingest spool's files live (default: `spool/` in the data folder). Keep it on a persistent disk. */
  CDP_SPOOL_DIR: z.string().min(1).optional(),
  /** Days a forwarded row stays in the forward queue (its messageId dedupes repeats meanwhile), then pruned. */
  CDP_FORWARD_KEEP_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  /** Bearer token for /ops and /api/ops. Generated into data/ and printed at start-up when unset. */
  OPS_TOKEN: z.string().min(8).optional(),
  CONSENT_MODE: z.enum(['opt-out', 'opt-in']).default('opt-out'),
  CART_RECOVERY_STRATEGY: z.enum(['event', 'lookback', 'hold']).default('lookback'),
  /**
   * How long a client may take to send a request body to the ingest or ops API before it is answered with a 400
   * (a body shorter than its Content-Length would otherwise hold the request open).
   */
  REQUEST_BODY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * How long a server told to stop (SIGTERM, SIGINT) may take: background passes finish or hand back what they
   * claimed, requests in flight end, the database closes (lib/cdp/runtime/shutdown.ts). Under docker stop's 10 s.
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(8_000),
  /** Throw on tracking-plan and identity-guard violations (default: on outside production). */
  TRACKING_STRICT: booleanFlag.optional(),
  /**
   * Proxies in front of the app whose X-Forwarded-For / X-Real-IP / X-Forwarded-Host / X-Forwarded-Proto may be
   * believed: a number of hops, or `true` for all. Unset (or 0/false): those headers are ignored; the client address
   * is the socket's, the request's host its Host header.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(?:\d{1,2}|true|false)$/, 'set the number of proxies in front of the app (e.g. 1), true, or false')
    .optional(),
});

export type Env = z.infer<typeof envSchema> & {
  appUrl: string;
  trackingStrict: boolean;
  /** Proxy hops whose forwarding headers are believed: 0 none, Infinity all (TRUST_PROXY=true). */
  trustedProxies: number;
  /** CDP_SPOOL_MAX_BYTES, or its default for this host. */
  spoolMaxBytes: number;
};

function trustedProxies(value: string | undefined): number {
  if (value === undefined || value === 'false') return 0;
  return value === 'true' ? Number.POSITIVE_INFINITY : Number(value);
}

let cached: Env | undefined;

/** A variable that is set to something the app cannot use: start-up stops with this message (instrumentation.ts). */
export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses process.env once; a bad value fails fast with a message naming the variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new EnvError(`Invalid environment configuration:\n${problems}`);
  }
  const e = parsed.data;
  if (e.CDP_SERVER_WRITE_KEY !== undefined && e.CDP_SERVER_WRITE_KEY === e.CDP_WRITE_KEY)
    throw new EnvError(
      'Invalid environment configuration:\n  CDP_SERVER_WRITE_KEY: must differ from CDP_WRITE_KEY (that one is public)',
    );
  cached = {
    ...e,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    trackingStrict: e.TRACKING_STRICT ?? e.NODE_ENV !== 'production',
    trustedProxies: trustedProxies(e.TRUST_PROXY),
    spoolMaxBytes:
      e.CDP_SPOOL_MAX_BYTES ?? (process.env.VERCEL || process.env.AWS_LAMBDA_FUNCTION_NAME ? 0 : 64 * 2 ** 20),
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}

import { z } from 'zod';

/** Every environment variable the app reads, with its default. The app starts with none of them set. */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  /** Public origin of the shop, used in links inside emails and by the server SDK. */
  APP_URL: z.url().optional(),
  /** SQLite file, `file:` prefix optional. */
  DATABASE_URL: z.string().min(1).default('file:./data/shop.db'),
  /** Signs order links, sessions-independent tokens and cart-restore links. Generated into data/ when unset. */
  APP_SECRET: z.string().min(16).optional(),
  /** Write key the local pipeline accepts and the SDKs send. */
  CDP_WRITE_KEY: z.string().min(1).default('glowlab-dev-write-key'),
  /** `off` stops local storage of events (proxy-only mode, needs CIO_WRITE_KEY). */
  CDP_LOCAL: z.enum(['on', 'off']).default('on'),
  /** `manual`: the pipeline clock jumps through /api/ops/clock (tests, demos) and runs at wall speed in between. */
  CDP_CLOCK: z.enum(['system', 'manual']).default('system'),
  /** Extra origins (comma separated) allowed to post to /api/cdp/v1 besides the shop's own. */
  CDP_ALLOWED_ORIGINS: z.string().default(''),
  /** Customer.io Data Pipelines write key: when set, accepted events are forwarded to Customer.io. */
  CIO_WRITE_KEY: z.string().min(1).optional(),
  CIO_REGION: z.enum(['us', 'eu']).default('us'),
  /** Overrides the Customer.io base URL the forwarder posts to (a proxy, or a fake upstream in tests). */
  CIO_API_HOST: z.url().optional(),
  /** Bearer token for /ops and /api/ops. Generated into data/ and printed at start-up when unset. */
  OPS_TOKEN: z.string().min(8).optional(),
  CONSENT_MODE: z.enum(['opt-out', 'opt-in']).default('opt-out'),
  CART_RECOVERY_STRATEGY: z.enum(['event', 'lookback', 'hold']).default('lookback'),
  /**
   * How long a client may take to send a request body to the ingest or ops API before it is answered with a 400
   * (a body shorter than its Content-Length would otherwise hold the request open).
   */
  REQUEST_BODY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Throw on tracking-plan and identity-guard violations (default: on outside production). */
  TRACKING_STRICT: booleanFlag.optional(),
});

export type Env = z.infer<typeof envSchema> & { appUrl: string; trackingStrict: boolean };

let cached: Env | undefined;

/** Parses process.env once; a bad value fails fast with a message naming the variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment configuration:\n${problems}`);
  }
  const e = parsed.data;
  cached = {
    ...e,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    trackingStrict: e.TRACKING_STRICT ?? e.NODE_ENV !== 'production',
  };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}

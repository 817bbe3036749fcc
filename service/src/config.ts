import path from 'node:path';
import { z } from 'zod';
import { LOOPBACK_HOST, type Transport } from './platform/net.js';

/** The only reader of process.env. Parsed once, deep-frozen, and never echoes a value back. */

const base64Key = (bytes: number) =>
  z.string().refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length >= bytes, {
    message: `must be base64 of at least ${bytes} random bytes`,
  });

/** `id:base64` pairs, comma-separated; the first one wraps new data keys, the rest still unwrap. */
const masterKeys = z.string().transform((v, ctx) => {
  const keys = v
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [id, key] = pair.split(':');
      return { id: id ?? '', key: key ?? '' };
    });
  for (const { id, key } of keys) {
    if (
      !/^[A-Za-z0-9._-]{1,64}$/.test(id) ||
      !base64Key(32).safeParse(key).success ||
      Buffer.from(key, 'base64').length !== 32
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a comma-separated list of id:base64 pairs, each key exactly 32 bytes',
      });
      return z.NEVER;
    }
  }
  if (keys.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must name at least one key' });
    return z.NEVER;
  }
  return keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
});

/** `id:secret` pairs shared with the WordPress plugin; the first signs outgoing messages, all verify. */
const transportKeys = z.string().transform((v, ctx) => {
  const keys = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const at = p.indexOf(':');
      return { id: p.slice(0, at), secret: p.slice(at + 1) };
    });
  if (keys.length === 0 || keys.some((k) => !/^[A-Za-z0-9._-]{1,64}$/.test(k.id) || k.secret.length < 32)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a comma-separated list of id:secret pairs, each secret at least 32 characters',
    });
    return z.NEVER;
  }
  return keys;
});

const databaseUrl = z
  .string()
  .refine((v) => /^(sqlite:.+|postgres(ql)?:\/\/[^\s]+)$/.test(v) && (v.startsWith('sqlite:') || URL.canParse(v)), {
    message: 'must be sqlite:<file> or postgres://user@host:port/database',
  });

const transportOf = (url: string): Transport | 'http' =>
  new URL(url).protocol === 'https:' ? 'https' : LOOPBACK_HOST.test(new URL(url).hostname) ? 'http-loopback' : 'http';

const redisUrl = z
  .string()
  .refine((v) => /^rediss?:\/\//.test(v) && URL.canParse(v), { message: 'must be redis://host:port' });

const Env = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./var'),
  DATABASE_URL: databaseUrl.optional(),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(
      /^(\{[a-z0-9-]{1,32}\}|[a-z0-9-]{1,32})$/,
      'must be 1-32 of a-z, 0-9, - (optionally in {braces} for Redis Cluster)',
    )
    .default('pb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LEDGER_MASTER_KEYS: masterKeys.optional(),
  SUBJECT_PEPPER: base64Key(32)
    .transform((v) => Buffer.from(v, 'base64'))
    .optional(),
  PLUGIN_SIGNING_KEYS: transportKeys.optional(),
  LINK_SECRET: base64Key(32)
    .transform((v) => Buffer.from(v, 'base64'))
    .optional(),
  WORDPRESS_URL: z.url({ protocol: /^https?$/ }).optional(),
  LEDGER_SQLITE_SYNC: z.enum(['normal', 'full']).default('normal'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  WOOCOMMERCE_URL: z.url({ protocol: /^https?$/ }).optional(),
  WOOCOMMERCE_CONSUMER_KEY: z
    .string()
    .regex(/^ck_[A-Za-z0-9]{20,64}$/, 'must be a WooCommerce consumer key (ck_…)')
    .optional(),
  WOOCOMMERCE_CONSUMER_SECRET: z
    .string()
    .regex(/^cs_[A-Za-z0-9]{20,64}$/, 'must be a WooCommerce consumer secret (cs_…)')
    .optional(),
  WOOCOMMERCE_ALLOW_INSECURE_HTTP: z.enum(['true', 'false']).default('false'),
  ALLOW_INSECURE_HTTP: z.enum(['true', 'false']).default('false'),
  WOOCOMMERCE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  WOOCOMMERCE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  WOOCOMMERCE_WEBHOOK_SECRETS: z.string().optional(),
  SYNC_RECONCILE_EVERY_S: z.coerce.number().int().min(10).max(86_400).default(300),
  SYNC_OVERLAP_S: z.coerce.number().int().min(0).max(86_400).default(300),
  SYNC_DELETIONS_EVERY_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3_600),
  SYNC_WEBHOOK_CHECK_EVERY_S: z.coerce.number().int().min(5).max(86_400).default(120),
  SYNC_ORDER_NOTES: z.enum(['true', 'false']).default('true'),
  SHOP_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone')
    .default('Europe/Tirane'),
  SESSION_MINUTES: z.coerce.number().int().min(5).max(600).default(60),
  DEMO_STORE: z.enum(['on', 'off']).default('on'),
  DSR_DEADLINE: z
    .string()
    .regex(/^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, 'must be an ISO-8601 date period such as P1M')
    .default('P1M'),
  DSR_MAX_EXTENSION: z
    .string()
    .regex(/^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, 'must be an ISO-8601 date period such as P2M')
    .default('P2M'),
  DSR_WARN_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  DSR_EXPORT_LINK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  DSR_SESSION_MARGIN: z
    .string()
    .regex(/^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, 'must be an ISO-8601 date period such as P1D')
    .default('P1D'),
  DSR_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  DSR_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  /** Unset: through the plugin whenever a real shop and its WordPress are configured (WOOCOMMERCE_URL, WORDPRESS_URL and PLUGIN_SIGNING_KEYS), and through the demo store's plugin double on the demo store; REST alone cannot erase an order's IP, user agent or booking item meta. */
  DSR_VIA_PLUGIN: z.enum(['true', 'false']).optional(),
  DSR_ERASE_PAGE_WAIT_MS: z.coerce.number().int().min(0).max(25_000).default(10_000),
  RATE_LIMIT_SCALE: z.coerce.number().min(0).max(1000).default(1),
  /** Where alerts go (a secret: Slack and Mattermost webhook URLs let anyone post). Unset: evaluated and listed, never sent. */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ALERT_FORMAT: z.enum(['alertmanager', 'chat'], { error: 'must be alertmanager or chat' }).default('alertmanager'),
  ALERT_REPEAT_S: z.coerce
    .number()
    .int()
    .min(60, 'must be at least 60 seconds')
    .max(7 * 86_400, 'must be at most 604800 seconds (7 days)')
    .default(14_400),
  ALERT_RECONCILE_LAG_S: z.coerce
    .number()
    .int()
    .min(60, 'must be at least 60 seconds')
    .max(7 * 86_400, 'must be at most 604800 seconds (7 days)')
    .optional(), // unset: 1800, or twice SYNC_RECONCILE_EVERY_S when that is longer
});

/** Secrets that production must set; development generates them under DATA_DIR instead. */
export const PRODUCTION_SECRETS = ['DATABASE_URL', 'LEDGER_MASTER_KEYS', 'SUBJECT_PEPPER', 'LINK_SECRET'] as const;

export type MasterKey = { readonly id: string; readonly key: Buffer };

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  logLevel: string;
  sqliteSync: 'normal' | 'full';
  /** Undefined only outside production; compose fills them from DATA_DIR's development keys. */
  masterKeys?: readonly MasterKey[];
  subjectPepper?: Buffer;
  /** Signs links sent to people (unsubscribe tokens, consent receipts); undefined only outside production. */
  linkSecret?: Buffer;
  /** The WordPress site the plugin runs on; where results are pushed. Unset: nothing is pushed. */
  wordpressUrl: string | null;
  /** Where WooCommerce and WordPress reach this service (webhook delivery URL). */
  publicUrl: string;
  woo: {
    url: string | null;
    consumerKey: string | null;
    consumerSecret: string | null;
    allowInsecureHttp: boolean;
    timeoutMs: number;
    concurrency: number;
    /** Secrets set by hand; `woo connect` keeps its own in the database. */
    webhookSecrets: readonly string[];
    /** No WooCommerce configured: run the built-in demo store (the test double, seeded). */
    demoStore: boolean;
  };
  sync: {
    reconcileEverySeconds: number;
    overlapSeconds: number;
    webhookCheckEverySeconds: number;
    deletionsEverySeconds: number;
    orderNotes: boolean;
    timeZone: string;
    sessionMinutes: number;
  };
  /** Data-subject requests: deadline and extension (ISO periods), flags, export links, holds, job retries. */
  dsr: {
    deadline: string;
    maxExtension: string;
    warnDays: number;
    exportLinkHours: number;
    sessionMargin: string;
    attempts: number;
    backoffMs: number;
    viaPlugin: boolean;
    erasePageWaitMs: number;
  };
  /** Multiplies every rate limit (platform/http/rate-limits.ts); 0 turns them off (benchmarks only). */
  rateLimitScale: number;
  /** Keys shared with the plugin; empty until a site is connected. */
  pluginKeys: readonly { id: string; secret: string }[];
  /** Alerts: one HTTP target (null: none sent), its format, how often a firing incident is re-sent, the reconcile lag that alerts. */
  alerts: {
    webhookUrl: string | null;
    format: 'alertmanager' | 'chat';
    repeatSeconds: number;
    reconcileLagSeconds: number;
  };
  /** How each configured link travels (for the records of processing); null where not configured. */
  transport: { wordpress: Transport | null; public: Transport; woocommerce: Transport | null };
}>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    const missing = PRODUCTION_SECRETS.filter((name) => raw[name] === undefined);
    if (missing.length > 0)
      throw new ConfigError(missing.map((name) => `${name}: is required when NODE_ENV=production`));
  }
  if (e.WOOCOMMERCE_URL) {
    const missing = (['WOOCOMMERCE_CONSUMER_KEY', 'WOOCOMMERCE_CONSUMER_SECRET'] as const).filter((name) => !e[name]);
    if (missing.length > 0)
      throw new ConfigError(missing.map((name) => `${name}: is required when WOOCOMMERCE_URL is set`));
  }
  if (e.ALERT_RECONCILE_LAG_S !== undefined && e.ALERT_RECONCILE_LAG_S <= e.SYNC_RECONCILE_EVERY_S)
    throw new ConfigError([
      `ALERT_RECONCILE_LAG_S: must be more than SYNC_RECONCILE_EVERY_S (${e.SYNC_RECONCILE_EVERY_S} s), or every reconciliation interval would alert`,
    ]);
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, '');
  const transport = checkTransport(e, publicUrl);
  const dataDir = path.resolve(e.DATA_DIR);
  return deepFreeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'ledger.sqlite')}`,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    logLevel: e.LOG_LEVEL,
    sqliteSync: e.LEDGER_SQLITE_SYNC,
    masterKeys: e.LEDGER_MASTER_KEYS,
    subjectPepper: e.SUBJECT_PEPPER,
    linkSecret: e.LINK_SECRET,
    wordpressUrl: e.WORDPRESS_URL?.replace(/\/+$/, '') ?? null,
    pluginKeys: e.PLUGIN_SIGNING_KEYS ?? [],
    rateLimitScale: e.RATE_LIMIT_SCALE,
    publicUrl,
    transport,
    woo: {
      url: e.WOOCOMMERCE_URL?.replace(/\/+$/, '') ?? null,
      consumerKey: e.WOOCOMMERCE_CONSUMER_KEY ?? null,
      consumerSecret: e.WOOCOMMERCE_CONSUMER_SECRET ?? null,
      allowInsecureHttp: e.WOOCOMMERCE_ALLOW_INSECURE_HTTP === 'true',
      timeoutMs: e.WOOCOMMERCE_TIMEOUT_MS,
      concurrency: e.WOOCOMMERCE_CONCURRENCY,
      webhookSecrets: (e.WOOCOMMERCE_WEBHOOK_SECRETS ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      demoStore: e.DEMO_STORE === 'on' && !e.WOOCOMMERCE_URL,
    },
    sync: {
      reconcileEverySeconds: e.SYNC_RECONCILE_EVERY_S,
      overlapSeconds: e.SYNC_OVERLAP_S,
      webhookCheckEverySeconds: e.SYNC_WEBHOOK_CHECK_EVERY_S,
      deletionsEverySeconds: e.SYNC_DELETIONS_EVERY_S,
      orderNotes: e.SYNC_ORDER_NOTES === 'true',
      timeZone: e.SHOP_TIMEZONE,
      sessionMinutes: e.SESSION_MINUTES,
    },
    alerts: {
      webhookUrl: e.ALERT_WEBHOOK_URL ?? null,
      format: e.ALERT_FORMAT,
      repeatSeconds: e.ALERT_REPEAT_S,
      reconcileLagSeconds: e.ALERT_RECONCILE_LAG_S ?? Math.max(1_800, 2 * e.SYNC_RECONCILE_EVERY_S),
    },
    dsr: {
      deadline: e.DSR_DEADLINE,
      maxExtension: e.DSR_MAX_EXTENSION,
      warnDays: e.DSR_WARN_DAYS,
      exportLinkHours: e.DSR_EXPORT_LINK_HOURS,
      sessionMargin: e.DSR_SESSION_MARGIN,
      attempts: e.DSR_JOB_ATTEMPTS,
      backoffMs: e.DSR_BACKOFF_MS,
      // Unset: the plugin wherever there is one — the configured shop's WordPress, or the demo store's own.
      viaPlugin:
        e.DSR_VIA_PLUGIN === undefined
          ? e.WOOCOMMERCE_URL
            ? Boolean(e.WORDPRESS_URL && (e.PLUGIN_SIGNING_KEYS ?? []).length > 0)
            : e.DEMO_STORE === 'on' && !e.WORDPRESS_URL
          : e.DSR_VIA_PLUGIN === 'true',
      erasePageWaitMs: e.DSR_ERASE_PAGE_WAIT_MS,
    },
  });
}

/**
 * Personal data crosses every configured link, so plain http is refused unless it stays on this machine
 * or the operator allowed it by name (ALLOW_INSECURE_HTTP for WORDPRESS_URL and PUBLIC_URL,
 * WOOCOMMERCE_ALLOW_INSECURE_HTTP for the shop's REST keys).
 */
function checkTransport(e: z.infer<typeof Env>, publicUrl: string): Config['transport'] {
  const problems: string[] = [];
  const judge = (name: string, url: string | undefined, allowed: boolean, allowName: string): Transport | null => {
    if (url === undefined) return null;
    const t = transportOf(url);
    if (t !== 'http') return t;
    if (allowed) return 'http-allowed';
    problems.push(
      `${name}: plain http to a host that is not loopback is refused (use https, or set ${allowName}=true)`,
    );
    return null;
  };
  const allow = e.ALLOW_INSECURE_HTTP === 'true';
  const wordpress = judge('WORDPRESS_URL', e.WORDPRESS_URL, allow, 'ALLOW_INSECURE_HTTP');
  const woocommerce = judge(
    'WOOCOMMERCE_URL',
    e.WOOCOMMERCE_URL,
    e.WOOCOMMERCE_ALLOW_INSECURE_HTTP === 'true',
    'WOOCOMMERCE_ALLOW_INSECURE_HTTP',
  );
  // Unset, PUBLIC_URL is http://HOST:PORT: a developer's HOST=0.0.0.0 is their own business, not production's.
  const implicit = e.PUBLIC_URL === undefined;
  const pub = judge(
    implicit ? 'PUBLIC_URL (unset, so http://HOST:PORT)' : 'PUBLIC_URL',
    publicUrl,
    allow || (implicit && e.NODE_ENV !== 'production'),
    'ALLOW_INSECURE_HTTP',
  );
  // Alerts carry ids and enums only, but the receiver's URL is a secret and an alert tells of trouble: same rule.
  judge('ALERT_WEBHOOK_URL', e.ALERT_WEBHOOK_URL, allow, 'ALLOW_INSECURE_HTTP');
  if (problems.length > 0) throw new ConfigError(problems);
  return { wordpress, public: pub!, woocommerce };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

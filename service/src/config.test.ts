import { ConfigError, loadConfig } from './config.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://pb@db.invalid:5432/pb',
  LEDGER_MASTER_KEYS: `k2:${key(2)},k1:${key(1)}`,
  SUBJECT_PEPPER: key(9),
  LINK_SECRET: key(5),
};

const problems = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('runs on embedded defaults with no configuration', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      redisUrl: 'redis://127.0.0.1:6379',
    });
    expect(config.databaseUrl).toMatch(/^sqlite:.*var\/ledger\.sqlite$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads production secrets, first master key first', () => {
    const config = loadConfig(production);
    expect(config.masterKeys?.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(config.subjectPepper).toEqual(Buffer.alloc(32, 9));
    expect(config.linkSecret).toEqual(Buffer.alloc(32, 5));
  });

  it('names every missing production secret', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'DATABASE_URL: is required when NODE_ENV=production',
      'LEDGER_MASTER_KEYS: is required when NODE_ENV=production',
      'SUBJECT_PEPPER: is required when NODE_ENV=production',
      'LINK_SECRET: is required when NODE_ENV=production',
    ]);
  });

  it('names a bad variable without echoing its value', () => {
    const secret = 'postgres//pb:hunter2-secret@db';
    const found = problems({ ...production, DATABASE_URL: secret, SUBJECT_PEPPER: 'c2hvcnQ=', PORT: '99999' });
    expect(found.map((p) => p.split(':')[0])).toEqual(['PORT', 'DATABASE_URL', 'SUBJECT_PEPPER']);
    expect(found.join('\n')).not.toContain('hunter2');
    expect(found.join('\n')).not.toContain('c2hvcnQ=');
  });

  it('names the missing WooCommerce credentials when a store is configured', () => {
    expect(
      problems({ WOOCOMMERCE_URL: 'https://shop.example.al', WOOCOMMERCE_CONSUMER_KEY: `ck_${'a'.repeat(40)}` }),
    ).toEqual(['WOOCOMMERCE_CONSUMER_SECRET: is required when WOOCOMMERCE_URL is set']);
  });

  it('refuses plain http to a host that is not loopback, naming the variable and how to allow it', () => {
    const found = problems({
      WORDPRESS_URL: 'http://shop.example.al',
      PUBLIC_URL: 'http://privacy.example.al',
      WOOCOMMERCE_URL: 'http://shop.example.al',
      WOOCOMMERCE_CONSUMER_KEY: `ck_${'a'.repeat(40)}`,
      WOOCOMMERCE_CONSUMER_SECRET: `cs_${'b'.repeat(40)}`,
    });
    expect(found).toEqual([
      'WORDPRESS_URL: plain http to a host that is not loopback is refused (use https, or set ALLOW_INSECURE_HTTP=true)',
      'WOOCOMMERCE_URL: plain http to a host that is not loopback is refused (use https, or set WOOCOMMERCE_ALLOW_INSECURE_HTTP=true)',
      'PUBLIC_URL: plain http to a host that is not loopback is refused (use https, or set ALLOW_INSECURE_HTTP=true)',
    ]);
    expect(problems({ ...production, HOST: '0.0.0.0' })).toEqual([
      'PUBLIC_URL (unset, so http://HOST:PORT): plain http to a host that is not loopback is refused (use https, or set ALLOW_INSECURE_HTTP=true)',
    ]);
  });

  it('says how each configured link travels: TLS, loopback, or plain http allowed by name', () => {
    expect(loadConfig({}).transport).toEqual({ wordpress: null, public: 'http-loopback', woocommerce: null });
    expect(
      loadConfig({
        WORDPRESS_URL: 'https://shop.example.al',
        PUBLIC_URL: 'http://10.0.0.5:3000',
        ALLOW_INSECURE_HTTP: 'true',
      }).transport,
    ).toEqual({ wordpress: 'https', public: 'http-allowed', woocommerce: null });
    expect(loadConfig({ HOST: '0.0.0.0' }).transport.public).toBe('http-allowed');
  });

  it('refuses a short master key', () => {
    expect(problems({ ...production, LEDGER_MASTER_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` })[0]).toMatch(
      /^LEDGER_MASTER_KEYS: /,
    );
  });
});

describe('data-subject work goes through the plugin where it exists', () => {
  const wp = {
    WOOCOMMERCE_URL: 'https://shop.example.al',
    WOOCOMMERCE_CONSUMER_KEY: `ck_${'a'.repeat(40)}`,
    WOOCOMMERCE_CONSUMER_SECRET: `cs_${'b'.repeat(40)}`,
    WORDPRESS_URL: 'https://shop.example.al',
    PLUGIN_SIGNING_KEYS: `k1:${'s'.repeat(40)}`,
  };
  it('by default when the shop and its WordPress are configured (URLs and signing keys), or on the demo store (its plugin double), and not otherwise', () => {
    expect(loadConfig(wp).dsr.viaPlugin).toBe(true);
    expect(loadConfig({}).dsr.viaPlugin).toBe(true);
    expect(loadConfig({ DEMO_STORE: 'off' }).dsr.viaPlugin).toBe(false);
    const { WORDPRESS_URL: _, PLUGIN_SIGNING_KEYS: __, ...shopOnly } = wp;
    expect(loadConfig(shopOnly).dsr.viaPlugin).toBe(false);
    expect(loadConfig({ WORDPRESS_URL: wp.WORDPRESS_URL }).dsr.viaPlugin).toBe(false);
    expect(
      loadConfig({ WORDPRESS_URL: wp.WORDPRESS_URL, PLUGIN_SIGNING_KEYS: wp.PLUGIN_SIGNING_KEYS }).dsr.viaPlugin,
    ).toBe(false); // the demo store: its double is not behind that WordPress
  });
  it('unless the operator says otherwise', () => {
    expect(loadConfig({ ...wp, DSR_VIA_PLUGIN: 'false' }).dsr.viaPlugin).toBe(false);
    expect(loadConfig({ DSR_VIA_PLUGIN: 'true' }).dsr.viaPlugin).toBe(true);
  });

  it('reads the alert settings, refuses a bad one by name, and plain http to a host that is not loopback', () => {
    expect(loadConfig({}).alerts).toEqual({
      webhookUrl: null,
      format: 'alertmanager',
      repeatSeconds: 14_400,
      reconcileLagSeconds: 1_800,
    });
    expect(
      loadConfig({
        ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
        ALERT_FORMAT: 'chat',
        ALERT_REPEAT_S: '600',
        ALERT_RECONCILE_LAG_S: '900',
      }).alerts,
    ).toEqual({
      webhookUrl: 'https://hooks.slack.com/services/T0/B0/x',
      format: 'chat',
      repeatSeconds: 600,
      reconcileLagSeconds: 900,
    });
    expect(loadConfig({ ALERT_WEBHOOK_URL: 'http://127.0.0.1:9093/hook' }).alerts.webhookUrl).toBe(
      'http://127.0.0.1:9093/hook',
    );
    expect(problems({ ALERT_WEBHOOK_URL: 'http://hooks.example.al/alerts' })).toEqual([
      'ALERT_WEBHOOK_URL: plain http to a host that is not loopback is refused (use https, or set ALLOW_INSECURE_HTTP=true)',
    ]);
    expect(
      loadConfig({ ALERT_WEBHOOK_URL: 'http://hooks.example.al/alerts', ALLOW_INSECURE_HTTP: 'true' }).alerts
        .webhookUrl,
    ).toBe('http://hooks.example.al/alerts');
    expect(problems({ ALERT_WEBHOOK_URL: 'ftp://x', ALERT_FORMAT: 'teams', ALERT_REPEAT_S: '5' })).toEqual([
      'ALERT_WEBHOOK_URL: must be an http(s) URL',
      'ALERT_FORMAT: must be alertmanager or chat',
      'ALERT_REPEAT_S: must be at least 60 seconds',
    ]);
    // Unset, it follows a slower reconciliation instead of refusing to start.
    expect(loadConfig({ SYNC_RECONCILE_EVERY_S: '3600' }).alerts.reconcileLagSeconds).toBe(7200);
    expect(loadConfig({}).alerts.reconcileLagSeconds).toBe(1800);
    expect(problems({ ALERT_RECONCILE_LAG_S: '300', SYNC_RECONCILE_EVERY_S: '300' })).toEqual([
      'ALERT_RECONCILE_LAG_S: must be more than SYNC_RECONCILE_EVERY_S (300 s), or every reconciliation interval would alert',
    ]);
    expect(JSON.stringify(problems({ ALERT_WEBHOOK_URL: 'http://secret-token@example.al/x' }))).not.toContain(
      'secret-token',
    );
  });
});

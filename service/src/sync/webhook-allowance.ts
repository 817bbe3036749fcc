/**
 * WordPress's wp_safe_remote_post() (WooCommerce's webhook delivery) refuses loopback and private
 * addresses and ports other than 80, 443 and 8080 — in silence. Such a delivery URL works only when
 * the Privacy Bridge plugin allows it (its signed ping says which origin it allows).
 */
export function wordpressWouldRefuse(deliveryUrl: string): boolean {
  const u = new URL(deliveryUrl);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const local =
    /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|0\.|::1$|f[cd][0-9a-f]{2}:)/i.test(host);
  return local || ![80, 443, 8080].includes(port);
}

export const originOf = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname.toLowerCase()}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
};

/**
 * Whether WordPress will deliver to `deliveryUrl`, as far as the service can tell: `ok`, or what is
 * wrong and what to do. `ping` is the plugin's signed ping answer (null: it did not answer 2xx),
 * `undefined` when no WORDPRESS_URL / PLUGIN_SIGNING_KEYS are set to ask it.
 */
export function webhookAllowance(
  deliveryUrl: string,
  ping: Record<string, unknown> | null | undefined,
): { ok: true } | { ok: false; checked: boolean; message: string } {
  if (!wordpressWouldRefuse(deliveryUrl)) return { ok: true };
  const origin = originOf(deliveryUrl);
  if (ping === undefined) {
    return {
      ok: false,
      checked: false,
      message: `${deliveryUrl} is a local or private address (or an unusual port): WordPress refuses webhook deliveries there unless the Privacy Bridge plugin allows it. Install and activate the plugin, set its service URL to ${origin}, and set WORDPRESS_URL and PLUGIN_SIGNING_KEYS here so this can be checked.`,
    };
  }
  if (ping === null) {
    return {
      ok: false,
      checked: true,
      message: `The Privacy Bridge plugin did not answer its signed ping at WORDPRESS_URL: install and activate it, and check that PLUGIN_SIGNING_KEYS matches its key. Until then WordPress refuses deliveries to ${deliveryUrl}.`,
    };
  }
  const allowed = typeof ping.webhooks_allowed_to === 'string' ? ping.webhooks_allowed_to : null;
  if (allowed !== origin) {
    return {
      ok: false,
      checked: true,
      message: `The plugin allows webhook deliveries to ${allowed ?? 'no service URL'}, not to ${origin}: set its service URL (Settings → Privacy Bridge) to ${origin}, or PUBLIC_URL here to the address it allows.`,
    };
  }
  return { ok: true };
}

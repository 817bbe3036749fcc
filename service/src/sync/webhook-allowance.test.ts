import { webhookAllowance, wordpressWouldRefuse } from './webhook-allowance.js';

describe('will WordPress deliver to the webhook URL', () => {
  it('knows which URLs WordPress refuses without the plugin', () => {
    expect(
      [
        'http://127.0.0.1:3000/w',
        'http://10.1.2.3/w',
        'http://192.168.1.5:80/w',
        'https://pb.example.al:8443/w',
        'http://[::1]:8080/w',
      ].map(wordpressWouldRefuse),
    ).toEqual([true, true, true, true, true]);
    expect(['https://pb.example.al/w', 'http://pb.example.al:8080/w'].map(wordpressWouldRefuse)).toEqual([
      false,
      false,
    ]);
  });

  it('says what to do when the plugin is not asked, not answering, or allows another URL', () => {
    const url = 'http://127.0.0.1:3000/webhooks/woocommerce';
    expect(webhookAllowance('https://pb.example.al/webhooks/woocommerce', undefined)).toEqual({ ok: true });
    expect(webhookAllowance(url, undefined)).toMatchObject({
      ok: false,
      checked: false,
      message: expect.stringContaining('set WORDPRESS_URL and PLUGIN_SIGNING_KEYS'),
    });
    expect(webhookAllowance(url, null)).toMatchObject({
      ok: false,
      checked: true,
      message: expect.stringContaining('install and activate it'),
    });
    expect(webhookAllowance(url, { webhooks_allowed_to: 'http://127.0.0.1:3999' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('set its service URL (Settings → Privacy Bridge) to http://127.0.0.1:3000'),
    });
    expect(webhookAllowance(url, { webhooks_allowed_to: null })).toMatchObject({
      ok: false,
      message: expect.stringContaining('no service URL'),
    });
    expect(webhookAllowance(url, { webhooks_allowed_to: 'http://127.0.0.1:3000' })).toEqual({ ok: true });
  });
});

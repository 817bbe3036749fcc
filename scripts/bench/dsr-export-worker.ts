// The exporting process of `npm run bench -- dsr`: against the double at PB_WOO_URL, first the bare
// REST walk of the subject's orders and their notes (the baseline), then the export as the access
// flow does it — collect through WooRestConnector, render index.html and export.json, zip, encrypt
// at rest. Prints one JSON line; its peak RSS is written at exit by bench-rss-on-exit.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadPolicy } from '../../shared/src/policy/index.js';
import { WooRestConnector } from '../../service/src/dsr/connectors/woocommerce-rest.js';
import { buildExportJson, renderExportHtml } from '../../service/src/dsr/export-render.js';
import { writeSealedStream } from '../../service/src/dsr/sealed-file.js';
import { zipStream } from '../../service/src/dsr/zip.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { DEFAULT_KEY } from '../../service/src/woocommerce/double/index.js';
import { WooClient } from '../../service/src/woocommerce/index.js';
import { timed } from './benchmark.js';

async function main() {
  const env = (n: string) => process.env[n] ?? '';
  const concurrency = Number(env('PB_CONCURRENCY') || 4);
  const woo = new WooClient(
    {
      url: env('PB_WOO_URL'),
      consumerKey: sensitive(DEFAULT_KEY.consumerKey),
      consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      concurrency,
    },
    createLogger({ level: 'silent' }),
  );
  const email = env('PB_EMAIL');
  const bare = await timed(async () => {
    const [customer] = await woo.get<{ id: number }[]>('customers', { email, role: 'all' });
    const ids: number[] = [];
    for await (const page of woo.pages<{ id: number }>('orders', { customer: customer!.id, status: 'any' }))
      ids.push(...page.map((o) => o.id));
    await Promise.all(ids.map((id) => woo.get(`orders/${id}/notes`)));
    return ids.length;
  });
  const policy = loadPolicy();
  const exported = await timed(async () => {
    const collected = await new WooRestConnector(woo, concurrency).collect(sensitive(email), 'bench');
    const json = buildExportJson({
      requestId: 'bench',
      generatedAt: new Date().toISOString(),
      collected,
      timeline: [],
      policy,
    });
    const zip = zipStream(
      [
        { name: 'index.html', data: Buffer.from(renderExportHtml(json, policy)) },
        { name: 'export.json', data: Buffer.from(JSON.stringify(json, null, 1)) },
      ],
      new Date(),
    );
    const bytes = await writeSealedStream(
      path.join(env('PB_DATA'), 'export.zip.sealed'),
      randomBytes(32),
      zip,
      'export:bench',
    );
    return {
      orders: collected.orders.length,
      notes: collected.orders.reduce((n, o) => n + (o.notes?.length ?? 0), 0),
      bytes,
    };
  });
  process.stdout.write(
    `${JSON.stringify({ bareSeconds: bare.seconds, bareOrders: bare.result, exportSeconds: exported.seconds, ...exported.result })}\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// Serves the WooCommerce test double as its own process, seeded with synthetic data:
//   npx tsx scripts/woo-double.ts [--orders N] [--customers N] [--port P] [--seed S]
// Prints `listening <url>` once ready, then serves until killed. For demos, by-hand tests and the
// crash tests that kill a client mid-backfill.
import { parseArgs } from 'node:util';
import { createWooDouble, DEFAULT_KEY } from '../service/src/woocommerce/double/woo-double.js';
import { seedDemoStore } from '../service/src/woocommerce/double/woo-double-data.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '60' },
    customers: { type: 'string', default: '20' },
    port: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  },
});
const double = createWooDouble();
seedDemoStore(double.store, {
  orders: Number(values.orders),
  customers: Number(values.customers),
  seed: Number(values.seed),
});
double.listen(Number(values.port)).then(({ url }) => {
  console.log(`listening ${url}`);
  console.log(
    `WOOCOMMERCE_URL=${url} WOOCOMMERCE_CONSUMER_KEY=${DEFAULT_KEY.consumerKey} WOOCOMMERCE_CONSUMER_SECRET=${DEFAULT_KEY.consumerSecret}`,
  );
});

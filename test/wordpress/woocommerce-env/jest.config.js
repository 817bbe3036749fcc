// `npm run test:woocommerce-env`: the opt-in suite against the real WordPress 6.8 + WooCommerce 9.9 of
// ../shared/woocommerce-env. Not part of `npm test`; refuses to run (and so never counts as passing)
// when the store's location is not in the environment.
const path = require('node:path');
for (const name of ['WOOCOMMERCE_ENV_URL', 'WOOCOMMERCE_ENV_WP_DIR']) {
  if (!process.env[name]) {
    console.error(
      `test:woocommerce-env needs ${name} (see test/wordpress/woocommerce-env/README.md); nothing was run.`,
    );
    process.exit(2);
  }
}
module.exports = {
  rootDir: path.resolve(__dirname, '../../..'),
  testTimeout: 120_000,
  maxWorkers: 1, // the files share one store and one plugin configuration
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/wordpress/woocommerce-env/*.wcenv.ts'],
};

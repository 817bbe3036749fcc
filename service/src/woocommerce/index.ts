export { WooClient, PER_PAGE, type WooConnection, type Page, type Namespace } from './client/woo-client.js';

// `npm run contracts`: writes draft-04 JSON Schema for every wire contract into wp-plugin/contracts/.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import * as banner from '../shared/src/contracts/banner.js';
import * as consent from '../shared/src/contracts/consent.js';
import * as console_ from '../shared/src/contracts/console.js';
import * as dsr from '../shared/src/contracts/dsr.js';

/** Every contract the plugin validates or sends, by file name. Add a line when a contract is added. */
export const CONTRACTS: Readonly<Record<string, z.ZodType>> = {
  'record-consent': consent.RecordConsent,
  'consent-recorded': consent.ConsentRecorded,
  'issue-unsubscribe-link': consent.IssueUnsubscribeLink,
  'unsubscribe-link-issued': consent.UnsubscribeLinkIssued,
  'suppression-check': consent.SuppressionCheck,
  'suppression-verdict': consent.SuppressionVerdict,
  'consent-state-push': consent.ConsentStatePush,
  'policy-version': consent.PolicyVersionView,
  'banner-consent': banner.BannerConsent,
  'banner-consent-receipt': banner.BannerConsentReceipt,
  'create-dsr-request': dsr.CreateDsrRequest,
  'dsr-request-created': dsr.DsrRequestCreated,
  'dsr-bulk-read-query': dsr.BulkReadQuery,
  'dsr-bulk-read-page': dsr.BulkReadPage,
  'dsr-erase-command': dsr.EraseCommand,
  'dsr-erase-command-result': dsr.EraseCommandResult,
  'dsr-residue-query': dsr.ResidueProbeQuery,
  'dsr-residue-result': dsr.ResidueProbeResult,
  'dsr-export-ready': dsr.ExportReadyPush,
  'dsr-erasure-receipt': dsr.ErasureReceiptPush,
  'dsr-admin-request-list': dsr.AdminRequestList,
  'privacy-tools-page-request': dsr.PrivacyToolsPageRequest,
  'privacy-tools-export-page': dsr.PrivacyToolsExportPage,
  'privacy-tools-erase-page': dsr.PrivacyToolsErasePage,
  'ledger-status': console_.LedgerStatusView,
  'queue-health': console_.QueueHealthList,
  'plugin-heartbeat': console_.PluginHeartbeat,
  'consent-search': console_.ConsentSearch,
  'consent-search-result': console_.ConsentSearchResult,
};

export const CONTRACTS_DIR = path.join(__dirname, '..', 'wp-plugin', 'contracts');

/** The keywords rest_validate_value_from_schema() understands (anyOf since WordPress 5.6: zod's nullable); everything else is dropped. */
const KEPT = new Set([
  'type',
  'anyOf',
  'enum',
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'properties',
  'items',
  'required',
  'minItems',
  'maxItems',
  'description',
  'title',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function keep(node: Json): Json {
  if (Array.isArray(node)) return node.map(keep);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEPT.has(key)) continue;
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, keep(schema)]));
    } else {
      out[key] = keep(value);
    }
  }
  return out;
}

/**
 * Marks `sub` required the draft-03 way (`required: true`). An object whose own draft-04 `required`
 * list that flag replaces passes the list down the same way, so WordPress (which reads the flag on
 * each property when its parent has no list) still requires the nested properties.
 */
function markRequired(sub: Record<string, Json>): void {
  const names = Array.isArray(sub.required) ? (sub.required as string[]) : [];
  const properties = (sub.properties ?? {}) as Record<string, Record<string, Json>>;
  for (const name of names) if (properties[name]) markRequired(properties[name]);
  sub.required = true;
}

/**
 * One contract as WordPress reads it: draft-04, only the keywords it validates, and `required: true`
 * on each required top-level property (get_endpoint_args_for_item_schema() turns each into an arg).
 */
export function toWordPressSchema(name: string, schema: z.ZodType): Record<string, Json> {
  const raw = z.toJSONSchema(schema, { target: 'draft-4', io: 'input' }) as Json;
  const kept = keep(raw) as Record<string, Json>;
  const required = new Set(Array.isArray(kept.required) ? (kept.required as string[]) : []);
  const properties = (kept.properties ?? {}) as Record<string, Record<string, Json>>;
  for (const [prop, sub] of Object.entries(properties)) if (required.has(prop)) markRequired(sub);
  return { $schema: 'http://json-schema.org/draft-04/schema#', title: name, ...kept };
}

export function renderContracts(): Map<string, string> {
  return new Map(
    Object.entries(CONTRACTS).map(([name, schema]) => [
      `${name}.json`,
      `${JSON.stringify(toWordPressSchema(name, schema), null, 2)}\n`,
    ]),
  );
}

if (require.main === module) {
  fs.mkdirSync(CONTRACTS_DIR, { recursive: true });
  for (const [file, text] of renderContracts()) fs.writeFileSync(path.join(CONTRACTS_DIR, file), text);
  console.log(`wrote ${renderContracts().size} contracts to ${path.relative(process.cwd(), CONTRACTS_DIR)}`);
}

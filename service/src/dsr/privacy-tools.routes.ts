import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  PrivacyToolsPageRequest,
  type AdminRequestList,
  type DsrStatus,
  type PrivacyToolsErasePage,
  type PrivacyToolsExportPage,
} from '../../../shared/src/contracts/dsr.js';
import type { Policy } from '../../../shared/src/policy/index.js';
import type { Ledger, SubjectRef, TimelineEntry } from '../ledger/index.js';
import { AppError } from '../platform/errors.js';
import { withBody } from '../platform/http/with-body.js';
import { sensitive } from '../platform/sensitive.js';
import { OPEN_STATUSES } from './dsr-rules.js';
import { retentionOf } from './held-detail.js';
import { dateLabel, fieldLabel, isTime, sourceLabel, type Lang } from './field-labels.js';
import { en } from './messages.en.js';
import { sq, type Messages } from './messages.sq.js';
import { retentionText } from './pages.js';
import type { DsrRow, DsrStore } from './dsr-store.js';
import type { DsrService } from './dsr.service.js';

export type PrivacyToolsDeps = {
  dsr: DsrService;
  store: DsrStore;
  ledger: Ledger;
  policy: Policy;
  requireSigned: RequestHandler;
  /** How long one eraser page waits for the background erasure before answering "not done yet". */
  eraseWaitMs?: number;
};

/** One exporter page: at most this many items and about this many bytes of JSON (WordPress saves every page it gathers into one post meta row, under MariaDB's max_allowed_packet). */
export const EXPORT_PAGE_ITEMS = 500;
export const EXPORT_PAGE_BYTES = 256 * 1024;
const ENDED: readonly DsrStatus[] = ['completed', 'partially_completed', 'needs_attention', 'refused'];
const Uuid = z.uuid();

/** The request's states, oldest first, from its ledgered transitions. */
function timelineOf(row: DsrRow, entries: readonly TimelineEntry[]): { state: DsrStatus; at: string }[] {
  const mine = entries.filter((e) => e.detail?.requestId === row.id);
  return [
    { state: 'received' as DsrStatus, at: row.receivedAt },
    ...mine.filter((e) => e.kind === 'dsr.status').map((e) => ({ state: e.detail!.to as DsrStatus, at: e.at })),
  ];
}

function groupOf(kind: string, m: Messages): { id: string; label: string; description: string } {
  if (kind.startsWith('consent.')) return { id: 'consents', label: m.toolsConsents, description: m.toolsConsentsAbout };
  if (kind.startsWith('dsr.')) return { id: 'requests', label: m.toolsRequests, description: m.toolsRequestsAbout };
  if (kind.startsWith('disclosure.'))
    return { id: 'disclosures', label: m.toolsDisclosures, description: m.toolsDisclosuresAbout };
  return { id: 'records', label: m.toolsRecords, description: m.toolsRecordsAbout };
}

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 10_000);
const named = (list: readonly { id: string; name: { sq: string; en: string } }[], id: string, lang: Lang) =>
  list.find((x) => x.id === id)?.name[lang] ?? id;

/** A ledger entry as one item of WordPress's export, in the person's language: readable names, dates and field labels; the values as held. */
export function exportItem(e: TimelineEntry, policy: Policy, m: Messages): PrivacyToolsExportPage['groups'][number] {
  const lang = m.lang as Lang;
  const g = groupOf(e.kind, m);
  const data = [{ name: m.recordedAt, value: dateLabel(e.at, lang) }];
  if (e.purpose) data.push({ name: m.purpose, value: named(policy.purposes, e.purpose, lang) });
  if (e.legalBasis) data.push({ name: m.legalBasis, value: named(policy.legalBases, e.legalBasis, lang) });
  // A held entry lists one purpose's categories: each says how long it is kept.
  for (const c of e.categories) {
    const kept = g.id === 'records' ? retentionText(policy, retentionOf(policy, e, c), m) : '';
    data.push({
      name: `${m.category}: ${named(policy.categories, c, lang)}`.slice(0, 200),
      value: kept || named(policy.categories, c, lang),
    });
  }
  if (e.source) data.push({ name: m.source, value: sourceLabel(e.source, lang) });
  // A held entry's detail is its field list and rules, said above; other kinds' detail is what happened.
  if (e.detail && e.kind !== 'data.held') data.push({ name: m.details, value: text(e.detail) });
  const personal = e.personal;
  if (
    personal &&
    typeof personal === 'object' &&
    !Array.isArray(personal) &&
    'erased' in personal &&
    personal.erased === true
  )
    data.push({ name: m.value, value: m.valuesErased });
  else if (personal && typeof personal === 'object' && !Array.isArray(personal)) {
    for (const [k, v] of Object.entries(personal))
      data.push({
        name: fieldLabel(k, lang).slice(0, 200),
        value: isTime(k.split('.').at(-1)!, v) ? dateLabel(v, lang) : text(v),
      });
  } else if (personal !== null) data.push({ name: m.value, value: text(personal) });
  return { groupId: g.id, groupLabel: g.label, groupDescription: g.description, itemId: `ledger-${e.seq}`, data };
}

/**
 * What the plugin's wp-admin console and WordPress's own privacy tools call, signed: the request list
 * (no e-mails), the ledger exporter (paged by the ledger's sequence number, which only grows) and the
 * eraser (one background erasure request; each page reports on it until it ends, so one run of
 * WordPress's eraser loop erases everything — no offset into a set that shrinks as it is erased).
 */
export function privacyToolsRoutes(d: PrivacyToolsDeps): Router {
  const router = Router();
  const waitMs = d.eraseWaitMs ?? 10_000;

  router.get('/v1/admin/requests', d.requireSigned, async (req, res) => {
    const limit = Math.min(500, Math.max(1, Number(req.query.limit) || 200));
    const rows = (await d.store.list()).reverse().slice(0, limit);
    const bySubject = new Map<SubjectRef, TimelineEntry[]>();
    for (const subject of new Set(rows.map((r) => r.subject)))
      bySubject.set(subject, await d.ledger.timeline(subject, { kinds: ['dsr.status'] }));
    const body: AdminRequestList = {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        state: r.status,
        deadline: r.dueAt,
        timeline: timelineOf(r, bySubject.get(r.subject) ?? []),
      })),
    };
    res.json(body);
  });

  router.post(
    '/v1/privacy-tools/export',
    d.requireSigned,
    withBody(PrivacyToolsPageRequest, async (body, _req, res) => {
      const after = body.cursor === null ? 0 : /^s\d{1,15}$/.test(body.cursor) ? Number(body.cursor.slice(1)) : NaN;
      if (!Number.isFinite(after)) throw new AppError('DSR_CURSOR_INVALID');
      const subject = d.ledger.subjectRef(sensitive(body.email));
      const m = body.locale === 'en' ? en : sq;
      const entries = (await d.ledger.timeline(subject)).filter((e) => e.seq > after).sort((a, b) => a.seq - b.seq);
      // Bounded twice: by items and by bytes, so a page of large entries stays small; always one item at least.
      const groups: PrivacyToolsExportPage['groups'] = [];
      let bytes = 0;
      for (const e of entries) {
        const item = exportItem(e, d.policy, m);
        const size = Buffer.byteLength(JSON.stringify(item));
        if (groups.length > 0 && (groups.length >= EXPORT_PAGE_ITEMS || bytes + size > EXPORT_PAGE_BYTES)) break;
        groups.push(item);
        bytes += size;
      }
      const last = groups.length ? Number(groups.at(-1)!.itemId.slice('ledger-'.length)) : after;
      const answer: PrivacyToolsExportPage = { groups, nextCursor: groups.length < entries.length ? `s${last}` : null };
      res.json(answer);
    }),
  );

  router.post(
    '/v1/privacy-tools/erase',
    d.requireSigned,
    withBody(PrivacyToolsPageRequest, async (body, req, res) => {
      const subject = d.ledger.subjectRef(sensitive(body.email));
      let row: DsrRow;
      if (body.cursor !== null) {
        const id = Uuid.safeParse(body.cursor);
        const found = id.success ? await d.store.get(id.data) : null;
        // The cursor names a request of this address: another address's cursor is refused, not reported on.
        if (!found || found.subject !== subject || found.kind !== 'erasure') throw new AppError('DSR_CURSOR_INVALID');
        row = found;
      } else {
        const open = (await d.store.list({ subject, statuses: OPEN_STATUSES })).find(
          (r) => r.kind === 'erasure' && r.status !== 'needs_attention',
        );
        row =
          open ??
          (await d.dsr.open(
            {
              kind: 'erasure',
              email: body.email,
              identity: { verified: true, method: 'wordpress-email-confirmation' },
            },
            `plugin/${req.signed?.keyId ?? 'unknown'}`,
            `privacy-tools/${req.signed?.messageId ?? ''}`,
          ));
      }
      const until = Date.now() + waitMs;
      while (!ENDED.includes(row.status) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        row = (await d.store.get(row.id))!;
      }
      res.json(
        ENDED.includes(row.status)
          ? await outcome(row, d)
          : ({
              itemsRemoved: false,
              itemsRetained: false,
              messages: [],
              nextCursor: row.id,
            } satisfies PrivacyToolsErasePage),
      );
    }),
  );

  return router;
}

/** The eraser's last page: what was removed and kept, with the policy's reason and until when. */
async function outcome(row: DsrRow, d: PrivacyToolsDeps): Promise<PrivacyToolsErasePage> {
  const items = await d.store.items(row.id);
  const removed = items.some((i) => i.action !== 'retain' && i.doneAt !== null);
  const kept = items.filter((i) => i.action === 'retain' && i.releasedPass === null);
  const messages: string[] = [];
  if (row.status === 'needs_attention')
    messages.push(
      `Privacy Bridge found data left after erasing (request ${row.id}); it needs attention in the Privacy Bridge console.`,
    );
  if (row.status === 'refused') messages.push(`Privacy Bridge refused request ${row.id}.`);
  for (const i of kept.slice(0, 50)) {
    const rule = d.policy.retention.find((r) => r.id === i.hold);
    messages.push(
      `${i.item}: kept${i.until ? ` until ${i.until.slice(0, 10)}` : ' until it is closed'} — ${rule ? rule.name.en : (i.hold ?? 'held')}.`.slice(
        0,
        500,
      ),
    );
  }
  if (kept.length > 50) messages.push(`…and ${kept.length - 50} more items kept; the erasure receipt lists them all.`);
  return { itemsRemoved: removed, itemsRetained: kept.length > 0, messages, nextCursor: null };
}

import type { PluginHeartbeat } from '../../../shared/src/contracts/console.js';
import type { JobQueue } from '../platform/queue/job-runtime.js';
import { queueStats, type QueueStats } from './queue-stats.js';

/** A WooCommerce webhook topic's state as sync's webhook check last found it. */
export type TopicState = 'active' | 'paused' | 'disabled' | 'missing';

/** At most this many urgent requests are listed by id; the counts are always whole. */
export const ATTENTION_LIMIT = 50;

/** What the status page shows: counts, ids, enums and times — never a person's data. */
export type StatusData = {
  at: string;
  queues: QueueStats[];
  requests: {
    open: number;
    dueSoon: number;
    overdue: number;
    /** The most urgent (overdue, then due soon; at most ATTENTION_LIMIT). */
    attention: { id: string; kind: string; status: string; dueAt: string; flag: 'overdue' | 'due-soon' }[];
  };
  ledger: { seq: number; verified: boolean | null; verifiedAt: string | null; break?: { seq: number; reason: string } };
  sync: { reconciledAt: string | null; lagSeconds: number | null };
  /** Null without a store to check (no WOOCOMMERCE_URL, demo off); `checkedAt` null before the first check. */
  webhooks: {
    checkedAt: string | null;
    everySeconds: number;
    topics: { topic: string; state: TopicState; reactivated: boolean }[];
  } | null;
  /** Service → WordPress: pending (waiting, running, waiting out a back-off) and dead letters by reason. */
  deliveries: {
    configured: boolean;
    waiting: number;
    active: number;
    delayed: number;
    dead: { refused: number; retriesExhausted: number };
  };
  /** The plugin's own outbox (what WordPress has not yet delivered to us), from its last heartbeat; null before the first. */
  pluginOutbox: (PluginHeartbeat['outbox'] & { receivedAt: string; stale: boolean }) | null;
  alerts: FiringAlertView[];
};

/** An incident firing now, as the alerts room lists it (ids, enums, times; its title already in both languages). */
export type FiringAlertView = {
  alert: string;
  subject: string;
  severity: 'warning' | 'critical';
  since: string;
  lastSentAt: string | null;
  state: 'pending' | 'sent' | 'failed' | 'unsent';
  title: { sq: string; en: string };
};

/** The reads behind the status page, each a port the console module fills from the other rooms. */
export type StatusSources = {
  queue: JobQueue;
  now(): Date;
  requests(now: Date): Promise<StatusData['requests']>;
  ledger(): Promise<StatusData['ledger']>;
  reconciledAt(): Promise<string | null>;
  alerts(): Promise<FiringAlertView[]>;
  webhooks(): Promise<StatusData['webhooks']>;
  deliveries(): Promise<StatusData['deliveries']>;
  pluginOutbox(now: Date): Promise<StatusData['pluginOutbox']>;
};

export async function statusOf(src: StatusSources): Promise<StatusData> {
  const now = src.now();
  const [queues, requests, ledger, reconciledAt, alerts, webhooks, deliveries, pluginOutbox] = await Promise.all([
    queueStats(src.queue, now),
    src.requests(now),
    src.ledger(),
    src.reconciledAt(),
    src.alerts(),
    src.webhooks(),
    src.deliveries(),
    src.pluginOutbox(now),
  ]);
  const at = reconciledAt ? new Date(reconciledAt).toISOString() : null;
  return {
    at: now.toISOString(),
    queues,
    requests,
    ledger,
    sync: {
      reconciledAt: at,
      lagSeconds: at ? Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 1000)) : null,
    },
    alerts,
    webhooks,
    deliveries,
    pluginOutbox,
  };
}

/** One request as the operator's timeline page shows it: states, dates and the steps it went through — ids, enums and times, never the e-mail. */
export type RequestTimeline = {
  id: string;
  kind: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  flag: 'overdue' | 'due-soon' | null;
  completedAt: string | null;
  stuck: string | null;
  /** `actor`: who acted, as ledgered (`plugin/<key>/wp-user:<id>`, `admin/<operator>`, `system/<job>`): ids and handles only. */
  steps: { kind: string; at: string; to: string | null; actor: string | null }[];
};

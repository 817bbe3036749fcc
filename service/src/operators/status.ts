import type { JobQueue } from '../platform/queue/job-runtime.js';
import { queueStats, type QueueStats } from './queue-stats.js';

/** What the status page shows: counts, ids, enums and times — never a person's data. */
export type StatusData = {
  at: string;
  queues: QueueStats[];
  requests: {
    open: number;
    dueSoon: number;
    overdue: number;
    attention: { id: string; kind: string; status: string; dueAt: string; flag: 'overdue' | 'due-soon' }[];
  };
  ledger: { seq: number; verified: boolean | null; verifiedAt: string | null; break?: { seq: number; reason: string } };
  sync: { reconciledAt: string | null; lagSeconds: number | null };
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
};

export async function statusOf(src: StatusSources): Promise<StatusData> {
  const now = src.now();
  const [queues, requests, ledger, reconciledAt, alerts] = await Promise.all([
    queueStats(src.queue, now),
    src.requests(now),
    src.ledger(),
    src.reconciledAt(),
    src.alerts(),
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
  };
}

import { createHash } from 'node:crypto';
import { en, sq } from './alert-messages.js';
import type { AlertName, Facts, Severity } from './alert-rules.js';

/** The two bodies ALERT_FORMAT chooses between. */
export type AlertFormat = 'alertmanager' | 'chat';

/** What a notification is about: one incident. */
export type Notice = {
  alert: AlertName;
  subject: string;
  severity: Severity;
  facts: Facts;
  fingerprint: string;
  startedAt: string;
  /** Set on a resolution. */
  resolvedAt: string | null;
};

/** Alertmanager's "zero time": endsAt of an alert still firing. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Stable per incident (alert and subject), 16 hex digits as Alertmanager's own. */
export const fingerprintOf = (alert: string, subject: string) =>
  createHash('sha256').update(`${alert}\u0000${subject}`).digest('hex').slice(0, 16);

const labelsOf = (n: Notice) => ({
  alertname: n.alert,
  service: 'privacy-bridge',
  severity: n.severity,
  subject: n.subject,
});

const annotationsOf = (n: Notice) => ({
  summary: en.alerts[n.alert].title(n.subject, n.facts, n.severity),
  description: en.alerts[n.alert].action,
  summary_sq: sq.alerts[n.alert].title(n.subject, n.facts, n.severity),
  description_sq: sq.alerts[n.alert].action,
});

/**
 * Alertmanager's webhook body (version 4): one group per incident, holding that one alert, so a
 * receiver that routes on groupKey or dedupes on fingerprint sees exactly one alert per incident.
 */
export function alertmanagerBody(n: Notice, externalUrl: string) {
  const status = n.resolvedAt ? 'resolved' : 'firing';
  const labels = labelsOf(n);
  const annotations = annotationsOf(n);
  return {
    version: '4',
    groupKey: `{}:{alertname="${n.alert}", subject="${n.subject}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'privacy-bridge',
    groupLabels: { alertname: n.alert, subject: n.subject },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: externalUrl,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: n.startedAt,
        endsAt: n.resolvedAt ?? ZERO_TIME,
        generatorURL: externalUrl,
        fingerprint: n.fingerprint,
      },
    ],
  };
}

/** Slack's and Mattermost's incoming webhooks: `{"text": …}`, Albanian first, then English. */
export function chatBody(n: Notice, externalUrl: string): { text: string } {
  const line = (c: typeof sq) =>
    `${n.resolvedAt ? c.resolved : c.firing} [${n.severity}] ${n.alert}: ${c.alerts[n.alert].title(n.subject, n.facts, n.severity)}`;
  const text = n.resolvedAt
    ? `${line(sq)}\n${line(en)}\n${externalUrl}`
    : `${line(sq)}\n${sq.alerts[n.alert].action}\n${line(en)}\n${en.alerts[n.alert].action}\n${externalUrl}`;
  return { text };
}

export const bodyOf = (format: AlertFormat, n: Notice, externalUrl: string): unknown =>
  format === 'chat' ? chatBody(n, externalUrl) : alertmanagerBody(n, externalUrl);

import { z } from 'zod';
import { TOPICS, type Topic } from '../woocommerce/index.js';
import type { SyncState } from './sync-state.js';

/** Where the last webhook check's findings are kept (a sync cursor row: topics and states, nothing personal). */
export const WEBHOOK_HEALTH_CURSOR = 'webhooks:health';

/** A topic's state as WooCommerce reports our webhook for it; `missing` when none of ours exists. */
export const WEBHOOK_STATES = ['active', 'paused', 'disabled', 'missing'] as const;
export type WebhookState = (typeof WEBHOOK_STATES)[number];

export type WebhookHealth = {
  /** When the check last listed the store's webhooks. */
  checkedAt: string;
  /** Each topic's state after the check (a disabled webhook it re-activated is active, and listed as reactivated). */
  topics: Record<Topic, WebhookState>;
  reactivated: Topic[];
  /** The service's webhooks the check found disabled (ids and topics), kept even once it re-activated them, for alerts. */
  disabled: { id: number; topic: string }[];
};

const Stored = z.object({
  checkedAt: z.string(),
  topics: z.record(z.string(), z.enum(WEBHOOK_STATES)),
  reactivated: z.array(z.string()),
  disabled: z.array(z.object({ id: z.int(), topic: z.string() })).default([]),
});

/** The best of our webhooks per topic (a topic may have duplicates): active, then paused, then disabled. */
export function topicStates(
  webhooks: readonly { topic: string; status: string; ours: boolean }[],
): Record<Topic, WebhookState> {
  const order: readonly WebhookState[] = ['active', 'paused', 'disabled'];
  const out = {} as Record<Topic, WebhookState>;
  for (const topic of TOPICS) {
    const states = webhooks.filter((w) => w.ours && w.topic === topic).map((w) => w.status as WebhookState);
    out[topic] = order.find((s) => states.includes(s)) ?? 'missing';
  }
  return out;
}

export async function saveWebhookHealth(state: SyncState, health: WebhookHealth): Promise<void> {
  await state.setCursor(WEBHOOK_HEALTH_CURSOR, JSON.stringify(health), new Date(health.checkedAt));
}

/** The last check's findings, or null before the first check (or without a store to check). */
export async function webhookHealth(state: SyncState): Promise<WebhookHealth | null> {
  const raw = await state.cursor(WEBHOOK_HEALTH_CURSOR);
  const parsed = raw ? Stored.safeParse(JSON.parse(raw)) : null;
  if (!parsed?.success) return null;
  const topics = {} as Record<Topic, WebhookState>;
  for (const t of TOPICS) topics[t] = parsed.data.topics[t] ?? 'missing';
  return {
    checkedAt: parsed.data.checkedAt,
    topics,
    reactivated: parsed.data.reactivated.filter((t): t is Topic => (TOPICS as readonly string[]).includes(t)),
    disabled: parsed.data.disabled,
  };
}

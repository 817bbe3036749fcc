import { ConsentStatePush } from '../../../shared/src/contracts/consent.js';
import { loadPolicy, type Policy } from '../../../shared/src/policy/index.js';
import type { Delivery } from '../delivery/index.js';
import type { Ledger } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { bind, type JobQueue } from '../platform/queue/job-runtime.js';
import { ConsentProjector, CONSENT_RECORDED, ConsentDetail } from './consent-projector.js';
import { accountConsentRoutes } from './account.routes.js';
import { consentRoutes } from './consent.routes.js';
import { consentSearchRoutes } from './consent-search.routes.js';
import { ConsentService, type ConsentPurposes } from './consent.service.js';
import { ConsentStore } from './consent-store.js';
import { PROJECTION_WINDOW_MS, projectConsentJob } from './jobs/project-consent.job.js';
import { PolicyVersions } from './policy-versions.js';
import { Receipts } from './receipts.js';
import { Unsubscribe } from './unsubscribe.js';

export const CONSENT_STATE_TARGET = 'consent-state';

/** The consentable and the necessary purposes: the policy's cookie categories. */
export function consentPurposes(policy: Policy): ConsentPurposes {
  const categories = policy.cookies.categories;
  return {
    consentable: new Set(categories.filter((c) => c.requiresConsent).map((c) => c.id)),
    necessary: new Set(categories.filter((c) => !c.requiresConsent).map((c) => c.id)),
  };
}

export type ConsentParts = ReturnType<typeof createConsent>;

/** What consent takes of the core: the database, the ledger, the clock and the secret that signs people's links. */
export type ConsentCore = {
  readonly db: Database;
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly linkSecret: Buffer;
};

/** Everything consent needs, wired; the queue side is given as two callbacks so tests can run without Redis. */
export function createConsent(deps: {
  db: Database;
  ledger: Ledger;
  clock: Clock;
  linkSecret: Buffer;
  policy?: Policy;
  scheduleProjection?: (upToSeq: number) => Promise<void>;
  pushToWordPress?: (eventId: string) => Promise<void>;
}) {
  const policy = deps.policy ?? loadPolicy();
  const store = new ConsentStore(deps.db);
  const projector = new ConsentProjector({ ledger: deps.ledger, store });
  const consent = new ConsentService({
    ledger: deps.ledger,
    store,
    projector,
    clock: deps.clock,
    linkSecret: deps.linkSecret,
    purposes: consentPurposes(policy),
    scheduleProjection: deps.scheduleProjection ?? (async () => void (await projector.catchUp())),
    pushToWordPress: deps.pushToWordPress ?? (async () => undefined),
  });
  return {
    policy,
    store,
    projector,
    consent,
    policies: new PolicyVersions({ ledger: deps.ledger, store, clock: deps.clock }),
    receipts: new Receipts({ ledger: deps.ledger, policy }),
    unsubscribe: new Unsubscribe({ consent, store, linkSecret: deps.linkSecret, clock: deps.clock }),
  };
}

/**
 * Enqueues a projection run shared by every trigger of the same short window (ids only in the payload).
 * Triggers of a window this process already enqueued await that same add instead of repeating it:
 * the job runs after the window closes, so it covers every entry committed before its trigger.
 */
export function projectionTrigger(queue: JobQueue, clock: Clock) {
  let last: { window: number; added: Promise<unknown> } | null = null;
  return async (upToSeq: number) => {
    const now = clock.now().getTime();
    const window = Math.floor(now / PROJECTION_WINDOW_MS);
    if (last?.window !== window) {
      const delay = (window + 1) * PROJECTION_WINDOW_MS - now + 1;
      const added = queue.add(projectConsentJob, { upToSeq }, { jobId: `consent-project-${window}`, delay });
      last = { window, added };
      added.catch(() => {
        if (last?.added === added) last = null; // the next trigger tries again
      });
    }
    await last!.added;
  };
}

/** The body pushed to the plugin for a consent event: the person's state after it, and how to find them. */
export function consentStateBuilder(ledger: Ledger) {
  return async (eventId: string) => {
    const entry = await ledger.byKey(`${CONSENT_RECORDED}/${eventId}`);
    if (!entry?.subject || !entry.detail) return null;
    const detail = ConsentDetail.parse(JSON.parse(entry.detail));
    // The newest email and user id known for the subject, decrypted now (gone if shredded meanwhile).
    let email: string | undefined;
    let wpUserId: number | undefined;
    for (const e of await ledger.timeline(entry.subject as never)) {
      const p = e.personal as { email?: string; wpUserId?: number } | null;
      if (e.kind !== CONSENT_RECORDED || !p || typeof p !== 'object' || 'erased' in p) continue;
      email = p.email ?? email;
      wpUserId = p.wpUserId ?? wpUserId;
    }
    if (!email && wpUserId === undefined) return null;
    const body = ConsentStatePush.parse({
      eventId,
      ...(email ? { email } : {}),
      ...(wpUserId ? { wpUserId } : {}),
      source: detail.source,
      purposes: detail.effects,
      at: entry.at,
    });
    return { route: 'consent-state', body };
  };
}

/** Consent in the running service: routes, the projection job and its minutely safety net, pushes to WordPress. */
export function consentModule(
  { core, clock, queue, requireSigned, requireAdmin }: ModuleContext<Omit<ConsentCore, 'clock'>, unknown>,
  delivery: Delivery,
): ServiceModule {
  const parts = createConsent({
    db: core.db,
    ledger: core.ledger,
    clock,
    linkSecret: core.linkSecret,
    scheduleProjection: projectionTrigger(queue, clock),
    pushToWordPress: async (eventId) => void (await delivery.enqueue(queue, CONSENT_STATE_TARGET, eventId)),
  });
  delivery.register(CONSENT_STATE_TARGET, consentStateBuilder(core.ledger));
  return {
    name: 'consent',
    routers: [
      consentRoutes({ ...parts, linkSecret: core.linkSecret, clock, requireSigned, requireAdmin }),
      consentSearchRoutes({ consent: parts.consent, requireSigned }),
      accountConsentRoutes({
        consent: parts.consent,
        ledger: core.ledger,
        linkSecret: core.linkSecret,
        clock,
        requireSigned,
      }),
    ],
    jobs: [bind(projectConsentJob, parts.projector)],
    async schedule(q) {
      // Entries ledgered just before a crash are projected at start, and every minute whatever happens.
      await q
        .queue('consent')
        .upsertJobScheduler(
          'consent-project-minutely',
          { every: 60_000 },
          { name: projectConsentJob.name, data: { upToSeq: 0 } },
        );
      await q.add(projectConsentJob, { upToSeq: 0 }, { jobId: `consent-project-start-${clock.now().getTime()}` });
    },
  };
}

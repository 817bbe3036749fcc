import { createHash } from 'node:crypto';
import type { PolicyVersionView } from '../../../shared/src/contracts/consent.js';
import type { JsonObject, Ledger } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { POLICY_PUBLISHED, PolicyDetail } from './consent-projector.js';
import type { ConsentStore } from './consent-store.js';

export type PublishInput = {
  text: Buffer;
  version: string;
  effective: string;
  material: boolean;
  languages: readonly string[];
};

/**
 * Policy versions (§7): each published text is ledgered by its hash, label, languages and effective
 * date. Consents point at the version shown; a material version asks earlier consenters again.
 */
export class PolicyVersions {
  constructor(private readonly deps: { ledger: Ledger; store: ConsentStore; clock: Clock }) {}

  async publish(input: PublishInput): Promise<{ version: PolicyVersionView; seq: number; alreadyPublished: boolean }> {
    const view = PolicyDetail.safeParse({
      version: input.version,
      sha256: createHash('sha256').update(input.text).digest('hex'),
      languages: [...new Set(input.languages)],
      effective: input.effective,
      material: input.material,
      publishedAt: this.deps.clock.now().toISOString(),
    });
    if (!view.success || input.text.length === 0)
      throw new AppError('POLICY_VERSION_INVALID', {
        fields: view.success ? ['file'] : view.error.issues.map((i) => i.path.join('.')),
      });
    const entry = await this.deps.ledger.record({
      key: `${POLICY_PUBLISHED}/${input.version}`,
      kind: POLICY_PUBLISHED,
      purpose: 'privacy-compliance',
      legalBasis: 'legal-obligation',
      source: 'cli',
      detail: view.data as unknown as JsonObject,
      at: view.data.publishedAt,
    });
    const stored = PolicyDetail.parse(JSON.parse(entry.detail ?? '{}'));
    if (stored.sha256 !== view.data.sha256) throw new AppError('POLICY_VERSION_CONFLICT', { version: input.version });
    await this.deps.store.apply({ states: [], versions: [{ ...stored, seq: entry.seq }], upToSeq: 0 });
    return { version: stored, seq: entry.seq, alreadyPublished: stored.publishedAt !== view.data.publishedAt };
  }

  list(): Promise<PolicyVersionView[]> {
    return this.deps.store.versions();
  }

  async current(): Promise<PolicyVersionView> {
    const version = await this.deps.store.current(this.#today());
    if (!version) throw new AppError('POLICY_VERSION_NONE');
    return version;
  }

  /** Subjects whose last consent predates the material version now in effect (none without one). */
  async reconsent(
    limit = 1_000,
  ): Promise<{ version: PolicyVersionView | null; subjects: { subject: string; lastConsentAt: string }[] }> {
    const version = await this.deps.store.current(this.#today(), true);
    if (!version) return { version: null, subjects: [] };
    return { version, subjects: await this.deps.store.lastConsentBefore(version.effective, limit) };
  }

  #today(): string {
    return this.deps.clock.now().toISOString().slice(0, 10);
  }
}

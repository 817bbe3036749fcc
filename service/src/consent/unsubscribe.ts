import type { SubjectRef } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { Sensitive } from '../platform/sensitive.js';
import type { ConsentService, Recorded } from './consent.service.js';
import type { ConsentStore } from './consent-store.js';
import { newUnsubscribeToken, verifyUnsubscribeToken } from './links.js';

/**
 * Login-free marketing withdrawal (§5). A link names a random token id, signed; the id maps to one
 * subject ref server side. Using a token twice records nothing new; a forged one changes nothing.
 */
export class Unsubscribe {
  constructor(
    private readonly deps: { consent: ConsentService; store: ConsentStore; linkSecret: Buffer; clock: Clock },
  ) {}

  async issue(email: Sensitive<string>): Promise<{ token: string; path: string }> {
    const [ref] = this.deps.consent.refsOf({ email });
    const { token, tokenHash } = newUnsubscribeToken(this.deps.linkSecret);
    await this.deps.store.saveToken(tokenHash, ref!, this.deps.clock.now().toISOString());
    return { token, path: `/v1/unsubscribe/${token}` };
  }

  /** Throws UNSUBSCRIBE_TOKEN_INVALID for a forged, malformed or unknown token. */
  async resolve(token: string): Promise<{ tokenHash: string; ref: SubjectRef }> {
    const tokenHash = verifyUnsubscribeToken(this.deps.linkSecret, token);
    const ref = tokenHash ? await this.deps.store.tokenRef(tokenHash) : null;
    if (!tokenHash || !ref) throw new AppError('UNSUBSCRIBE_TOKEN_INVALID');
    return { tokenHash, ref };
  }

  /** Marketing denied for the token's subject, at once; keyed by the token, so a replay is a no-op. */
  async withdraw(token: string): Promise<Recorded> {
    const { tokenHash, ref } = await this.resolve(token);
    const { consent, clock } = this.deps;
    return consent.recordFor(
      ref,
      {
        source: 'unsubscribe-link',
        decisions: [{ purpose: 'marketing', decision: 'denied' }],
        gpc: false,
        policyVersion: await consent.currentVersionLabel(),
        locale: 'sq',
        at: clock.now().toISOString(),
      },
      `unsubscribe/${tokenHash}`,
    );
  }
}

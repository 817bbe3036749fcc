import type { Command } from 'commander';
import type { Ledger } from '../ledger/index.js';
import { UsageError, type WithCore } from '../platform/cli.js';
import type { Clock } from '../platform/clock.js';
import { ROLES, TOKEN_DAYS, type AdminTokens } from './admin-tokens.js';

/** `privacy-bridge admin token create|revoke|list`. */
export function registerAdminCommands(
  program: Command,
  withCore: WithCore<{ readonly adminTokens: AdminTokens; readonly ledger: Ledger; readonly clock: Clock }>,
): void {
  const tokenCmd = program
    .command('admin')
    .description('operators and their tokens')
    .command('token')
    .description('admin tokens (stored hashed)');

  tokenCmd
    .command('create')
    .description('create an admin token for an operator; the token is printed once')
    .requiredOption('--operator <handle>', 'who will use it (a handle such as ops-drita, not an email)')
    .option('--days <n>', `how long it works (1-${TOKEN_DAYS.max})`, String(TOKEN_DAYS.default))
    .option('--role <role>', `${ROLES.join(' or ')}: a viewer reads, an operator also acts on jobs`, 'operator')
    .action(async (opts: { operator: string; days: string; role: string }) => {
      const days = Number(opts.days);
      if (!/^\d+$/.test(opts.days) || days < 1 || days > TOKEN_DAYS.max)
        throw new UsageError(`--days must be a whole number of days from 1 to ${TOKEN_DAYS.max}`);
      const role = ROLES.find((r) => r === opts.role);
      if (!role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      await withCore(async (core) => {
        const { id, token, expiresAt } = await core.adminTokens.create(opts.operator, core.clock.now(), days, role);
        await core.ledger.record({
          key: `admin.token-created/${id}`,
          kind: 'admin.token-created',
          detail: { tokenId: id, operator: opts.operator, role, expiresAt },
          source: 'cli',
        });
        console.log(
          `token id ${id} for ${opts.operator} (${role}), expires ${expiresAt} (shown once, store it now):\n${token}`,
        );
      });
    });

  tokenCmd
    .command('revoke <id>')
    .description('revoke an admin token by its id')
    .action(async (id: string) => {
      await withCore(async (core) => {
        const revoked = await core.adminTokens.revoke(id, core.clock.now());
        if (revoked)
          await core.ledger.record({
            key: `admin.token-revoked/${id}`,
            kind: 'admin.token-revoked',
            detail: { tokenId: id },
            source: 'cli',
          });
        console.log(revoked ? `revoked ${id}` : `no active token ${id}`);
        process.exitCode = revoked ? 0 : 1;
      });
    });

  tokenCmd
    .command('list')
    .description('list tokens (ids, operators, created, expiry, last use; never the tokens)')
    .action(async () => {
      await withCore(async (core) => {
        const now = core.clock.now().toISOString();
        for (const t of await core.adminTokens.list()) {
          const state = t.revokedAt
            ? `revoked ${t.revokedAt}`
            : t.expiresAt && t.expiresAt <= now
              ? `expired ${t.expiresAt}`
              : `expires ${t.expiresAt ?? 'never'}`;
          console.log(
            `${t.id}  ${t.operator} (${t.role})  created ${t.createdAt}  ${state}  last used ${t.lastUsedAt ?? 'never'}`,
          );
        }
      });
    });
}

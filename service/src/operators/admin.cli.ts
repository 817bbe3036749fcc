import type { Command } from 'commander';
import type { Ledger } from '../ledger/index.js';
import { UsageError, type WithCore } from '../platform/cli.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import { AdminLoginLinks, LINK_MINUTES } from './admin-login-links.js';
import { ROLES, TOKEN_DAYS, type AdminTokens } from './admin-tokens.js';

type AdminCore = {
  readonly adminTokens: AdminTokens;
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly db: Database;
};

/** `privacy-bridge admin token create|revoke|list`, `admin login-link`. */
export function registerAdminCommands(
  program: Command,
  withCore: WithCore<AdminCore, { readonly publicUrl: string }>,
): void {
  const adminCmd = program.command('admin').description('operators and their tokens');
  const tokenCmd = adminCmd.command('token').description('admin tokens (stored hashed)');

  adminCmd
    .command('login-link')
    .description(
      "print a one-time sign-in link for an operator (works once, for a few minutes, with the role of the operator's live token)",
    )
    .requiredOption('--operator <handle>', 'whose session it starts (the operator needs a live admin token)')
    .option('--role <role>', `${ROLES.join(' or ')}: at most the role of that token (default: its role)`)
    .option('--minutes <n>', `how long the link works (1-${LINK_MINUTES.max})`, String(LINK_MINUTES.default))
    .action(async (opts: { operator: string; role?: string; minutes: string }) => {
      const minutes = Number(opts.minutes);
      if (!/^\d+$/.test(opts.minutes) || minutes < 1 || minutes > LINK_MINUTES.max)
        throw new UsageError(`--minutes must be a whole number from 1 to ${LINK_MINUTES.max}`);
      const role = opts.role === undefined ? undefined : ROLES.find((r) => r === opts.role);
      if (opts.role !== undefined && !role) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(opts.operator))
        throw new UsageError('--operator must be a handle: letters, digits, dot, dash or underscore (at most 64)');
      await withCore(async (core, config) => {
        const link = await new AdminLoginLinks(core.db)
          .create(opts.operator, core.clock.now(), { role, minutes })
          .catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'ADMIN_LINK_NO_LIVE_TOKEN')
              throw new UsageError(
                `${opts.operator} has no live admin token${role ? ` allowing the ${role} role` : ''}: create one with privacy-bridge admin token create --operator ${opts.operator}`,
              );
            throw err;
          });
        await core.ledger.record({
          key: `admin.login-link-created/${link.id}`,
          kind: 'admin.login-link-created',
          detail: {
            linkId: link.id,
            operator: opts.operator,
            role: link.role,
            tokenId: link.tokenId,
            expiresAt: link.expiresAt,
          },
          source: 'cli',
        });
        console.log(
          `one-time sign-in link for ${opts.operator} (${link.role}), works once until ${link.expiresAt}:\n${config.publicUrl}/admin/login/${link.token}`,
        );
      });
    });

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

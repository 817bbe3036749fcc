import type { Command } from 'commander';
import type { Core } from '../core.js';
import type { WithCore } from '../platform/cli.js';

/** `privacy-bridge admin token create|revoke|list`. */
export function registerAdminCommands(program: Command, withCore: WithCore<Core>): void {
  const tokenCmd = program.command('admin').description('operators and their tokens').command('token').description('admin tokens (stored hashed)');

  tokenCmd
    .command('create')
    .description('create an admin token for an operator; the token is printed once')
    .requiredOption('--operator <handle>', 'who will use it (a handle such as ops-drita, not an email)')
    .action(async (opts: { operator: string }) => {
      await withCore(async (core) => {
        const { id, token } = await core.adminTokens.create(opts.operator, core.clock.now());
        await core.ledger.record({ key: `admin.token-created/${id}`, kind: 'admin.token-created', detail: { tokenId: id, operator: opts.operator }, source: 'cli' });
        console.log(`token id ${id} for ${opts.operator} (shown once, store it now):\n${token}`);
      });
    });

  tokenCmd
    .command('revoke <id>')
    .description('revoke an admin token by its id')
    .action(async (id: string) => {
      await withCore(async (core) => {
        const revoked = await core.adminTokens.revoke(id, core.clock.now());
        if (revoked) await core.ledger.record({ key: `admin.token-revoked/${id}`, kind: 'admin.token-revoked', detail: { tokenId: id }, source: 'cli' });
        console.log(revoked ? `revoked ${id}` : `no active token ${id}`);
        process.exitCode = revoked ? 0 : 1;
      });
    });

  tokenCmd
    .command('list')
    .description('list tokens (ids, operators, dates; never the tokens)')
    .action(async () => {
      await withCore(async (core) => {
        for (const t of await core.adminTokens.list()) console.log(`${t.id}  ${t.operator}  created ${t.createdAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}`);
      });
    });
}

import fs from 'node:fs';
import type { Command } from 'commander';
import { UsageError, type WithCore } from '../platform/cli.js';
import { AppError } from '../platform/errors.js';
import { createConsent, type ConsentCore } from './consent.module.js';

/** `privacy-bridge policy publish|versions`. */
export function registerConsentCommands(program: Command, withCore: WithCore<ConsentCore>): void {
  const policyCmd = program.command('policy').description('published privacy policy versions');

  policyCmd
    .command('publish')
    .description('ledger a policy text by its hash, label, languages and effective date')
    .requiredOption('--file <path>', 'the policy text as published')
    .requiredOption('--version <label>', 'the version label consents will point to, e.g. icbt-pp-2')
    .requiredOption('--effective <date>', 'the date it takes effect, YYYY-MM-DD')
    .option('--language <codes>', 'languages of the text, comma-separated', 'sq,en')
    .option('--material', 'a material change: people whose last consent predates it are asked again')
    .action(
      async (opts: { file: string; version: string; effective: string; language: string; material?: boolean }) => {
        let text: Buffer;
        try {
          text = fs.readFileSync(opts.file);
        } catch {
          throw new UsageError(`--file: cannot read ${opts.file}`);
        }
        await withCore(async (core) => {
          const { policies } = createConsent({
            db: core.db,
            ledger: core.ledger,
            clock: core.clock,
            linkSecret: core.linkSecret,
          });
          try {
            const { version, seq, alreadyPublished } = await policies.publish({
              text,
              version: opts.version,
              effective: opts.effective,
              material: opts.material ?? false,
              languages: opts.language.split(',').map((l) => l.trim()),
            });
            console.log(
              `${alreadyPublished ? 'already published' : 'published'} ${version.version} (sha256 ${version.sha256}, effective ${version.effective}${version.material ? ', material' : ''}) as ledger entry ${seq}`,
            );
          } catch (err) {
            if (
              err instanceof AppError &&
              (err.code === 'POLICY_VERSION_INVALID' || err.code === 'POLICY_VERSION_CONFLICT')
            ) {
              throw new UsageError(`${err.message} ${JSON.stringify(err.details ?? {})}`);
            }
            throw err;
          }
        });
      },
    );

  policyCmd
    .command('versions')
    .description('list published versions, newest effective first')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      await withCore(async (core) => {
        const { policies, projector } = createConsent({
          db: core.db,
          ledger: core.ledger,
          clock: core.clock,
          linkSecret: core.linkSecret,
        });
        await projector.fresh();
        const versions = await policies.list();
        if (opts.json) console.log(JSON.stringify({ versions }));
        else
          for (const v of versions)
            console.log(
              `${v.version}  effective ${v.effective}${v.material ? '  material' : ''}  sha256 ${v.sha256}  ${v.languages.join(',')}`,
            );
      });
    });
}

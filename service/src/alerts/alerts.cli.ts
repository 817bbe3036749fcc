import type { Command } from 'commander';
import type { WithCore } from '../platform/cli.js';
import type { Database } from '../platform/db/database.js';
import { firingAlerts } from './alerts.module.js';
import { IncidentStore } from './incident-store.js';

/** `privacy-bridge alerts list [--json]`: the incidents firing at the running service's last evaluation. */
export function registerAlertCommands(program: Command, withCore: WithCore<{ readonly db: Database }>): void {
  program
    .command('alerts')
    .description('alerts the service raises (sent to ALERT_WEBHOOK_URL)')
    .command('list')
    .description('incidents firing now: alert, subject id, since, last sent, and whether the receiver has it')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) =>
      withCore(async (core) => {
        const firing = (await firingAlerts(new IncidentStore(core.db))).map(({ title, ...rest }) => ({
          ...rest,
          summary: title.en,
        }));
        if (opts.json) return void console.log(JSON.stringify({ firing }));
        if (firing.length === 0) return void console.log('no alerts firing');
        console.log(
          'alert                 subject                               severity  since                     last sent                 state',
        );
        for (const a of firing)
          console.log(
            `${a.alert.padEnd(21)} ${a.subject.padEnd(37)} ${a.severity.padEnd(9)} ${a.since.padEnd(25)} ${(a.lastSentAt ?? '—').padEnd(25)} ${a.state}${a.lastError ? ` (${a.lastError})` : ''}`,
          );
      }),
    );
}

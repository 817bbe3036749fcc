import { defineJob } from '../../platform/queue/define-job.js';
import type { DsrService } from '../dsr.service.js';
import { StepPayload } from '../flows.js';
import { writeSealed } from '../sealed-file.js';
import { exportFiles, exportKey, type ExportKeyNeeds } from './export-files.js';
import { runStep, type StepDeps, type DsrJobDeps } from './step.js';

type Needs = StepDeps & ExportKeyNeeds & Pick<DsrJobDeps, 'connector'> & { dsr: Pick<DsrService, 'email'> };

/** Access, step 1: everything WooCommerce holds about the subject, staged encrypted under DATA_DIR. */
export const collectJob = defineJob({
  name: 'dsr.collect',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('collect', payload, deps, ctx, async (row) => {
      const connector = deps.connector();
      const collected = await connector.collect(deps.dsr.email(row), row.id);
      const key = await exportKey(deps, row);
      await writeSealed(
        exportFiles(deps.settings.dataDir, row.id).collected,
        key,
        Buffer.from(JSON.stringify(collected)),
        `collected:${row.id}`,
      );
      const notes = collected.orders.reduce((n, o) => n + (o.notes?.length ?? 0), 0);
      return {
        connector: connector.id,
        orders: collected.orders.length,
        notes,
        bookings: collected.bookings.length,
        customer: collected.customer !== null,
        estimateSeconds: connector.estimateSeconds(collected.orders.length),
      };
    }),
});

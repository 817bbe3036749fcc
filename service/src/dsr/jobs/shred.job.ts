import { defineJob } from '../../platform/queue/define-job.js';
import { StepPayload } from '../flows.js';
import { removeFile } from '../sealed-file.js';
import { exportFiles } from './export-files.js';
import { runStep, type StepDeps, type DsrJobDeps, type DsrJobSettings } from './step.js';

type Needs = StepDeps & Pick<DsrJobDeps, 'clock'> & { settings: Pick<DsrJobSettings, 'dataDir'> };

/**
 * Erasure, step 3: destroys the subject's ledger data keys (consent records, what was collected:
 * every encrypted value becomes unreadable while the chain still verifies) and the subject's earlier
 * export files. What is retained stays in the shop's own records, not in copies of ours.
 */
export const shredJob = defineJob({
  name: 'dsr.shred',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('shred', payload, deps, ctx, async (row) => {
      const { destroyed } = await deps.ledger.shred(row.subject, {
        source: `request-${row.id}`,
        detail: { requestId: row.id, pass: payload.pass },
      });
      let exports = 0;
      for (const e of await deps.store.liveExports({ subject: row.subject })) {
        await removeFile(e.file);
        await removeFile(exportFiles(deps.settings.dataDir, e.requestId).collected);
        await deps.store.markExportDeleted(e.id, deps.clock.now().toISOString());
        exports++;
      }
      return { dataKeys: destroyed.length, exportsDeleted: exports };
    }),
});

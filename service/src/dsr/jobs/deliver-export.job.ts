import { defineJob } from '../../platform/queue/define-job.js';
import type { DsrService } from '../dsr.service.js';
import { StepPayload } from '../flows.js';
import { EXPORT_READY_TARGET, exportExpiry } from '../links.js';
import { removeFile } from '../sealed-file.js';
import { exportFiles } from './export-files.js';
import { runStep, type StepDeps, type DsrJobDeps, type DsrJobSettings } from './step.js';

type Needs = StepDeps &
  Pick<DsrJobDeps, 'clock' | 'deliver'> & {
    dsr: Pick<DsrService, 'transition'>;
    settings: Pick<DsrJobSettings, 'dataDir' | 'exportLinkHours'>;
  };

/** Access, step 3: the staged collection is removed, the link starts its expiry now; WordPress e-mails it; the request is completed. */
export const deliverExportJob = defineJob({
  name: 'dsr.deliver-export',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('deliver-export', payload, deps, ctx, async (row) => {
      await removeFile(exportFiles(deps.settings.dataDir, row.id).collected); // assemble is recorded done: the staging copy goes
      const expiresAt = exportExpiry(deps.clock.now(), deps.settings.exportLinkHours);
      const current = await deps.store.getExport(row.id);
      if (current && !current.deletedAt) await deps.store.setExportExpiry(row.id, expiresAt);
      await deps.deliver(EXPORT_READY_TARGET, row.id);
      await deps.dsr.transition(row.id, 'completed', 'system/dsr.deliver-export');
      return { expiresAt: (await deps.store.getExport(row.id))?.expiresAt ?? expiresAt };
    }),
});

import { defineJob } from '../../platform/queue/define-job.js';
import { removeFile } from '../sealed-file.js';
import { exportFiles } from './export-files.js';
import { runStep, StepPayload, type DsrJobDeps } from './step.js';

export const EXPORT_READY_TARGET = 'dsr-export-ready';

/** Access, step 3: the staged collection is removed, the link starts its expiry now; WordPress e-mails it; the request is completed. */
export const deliverExportJob = defineJob({
  name: 'dsr.deliver-export',
  payload: StepPayload,
  handle: (payload, deps: DsrJobDeps, ctx) => runStep('deliver-export', payload, deps, ctx, async (row) => {
    await removeFile(exportFiles(deps.settings.dataDir, row.id).collected); // assemble is recorded done: the staging copy goes
    const expiresAt = new Date(deps.clock.now().getTime() + deps.settings.exportLinkHours * 3_600_000).toISOString();
    const current = await deps.store.getExport(row.id);
    if (current && !current.deletedAt) await deps.store.setExportExpiry(row.id, expiresAt);
    await deps.deliver(EXPORT_READY_TARGET, row.id);
    await deps.dsr.transition(row.id, 'completed', 'system/dsr.deliver-export');
    return { expiresAt: (await deps.store.getExport(row.id))?.expiresAt ?? expiresAt };
  }),
});

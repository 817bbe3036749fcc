import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import { removeFile } from '../sealed-file.js';
import { exportFiles } from './export-files.js';
import type { DsrJobDeps, DsrJobSettings } from './step.js';

type Needs = Pick<DsrJobDeps, 'store' | 'ledger' | 'clock'> & { settings: Pick<DsrJobSettings, 'dataDir'> };

/** Scheduled: an export file is deleted when its link expires; the deletion is ledgered. */
export const expireExportsJob = defineJob({
  name: 'dsr.expire-exports',
  payload: z.object({}),
  async handle(_payload, deps: Needs) {
    const now = deps.clock.now().toISOString();
    let deleted = 0;
    for (const e of await deps.store.liveExports({ expiredBy: now })) {
      await removeFile(e.file);
      await removeFile(exportFiles(deps.settings.dataDir, e.requestId).collected);
      await deps.store.markExportDeleted(e.id, now);
      await deps.ledger.record({
        key: `dsr.export-deleted/${e.id}`,
        kind: 'dsr.export-deleted',
        subject: e.subject as never,
        source: `request-${e.requestId}`,
        detail: { requestId: e.requestId, expiresAt: e.expiresAt },
      });
      deleted++;
    }
    return { deleted };
  },
});

import { defineJob } from '../../platform/queue/define-job.js';
import { StepPayload } from '../flows.js';
import { holdLabel, releasedIn, retentionsOf, stillHeld } from '../ledger-holds.js';
import { removeFile } from '../sealed-file.js';
import { exportFiles } from './export-files.js';
import { runStep, type StepDeps, type DsrJobDeps, type DsrJobSettings } from './step.js';

type Needs = StepDeps & Pick<DsrJobDeps, 'clock'> & { settings: Pick<DsrJobSettings, 'dataDir'> };

/**
 * Erasure, step 3: destroys the subject's ledger data keys (consent records, what was collected:
 * every encrypted value becomes unreadable while the chain still verifies) and the subject's earlier
 * export files. What the shop keeps by right stays readable in the ledger too: first, what each held item
 * keeps is re-sealed under its hold's key (ledger-holds.ts); the keys of the holds released into this
 * pass go with it, so what they kept reads erased like the rest.
 */
export const shredJob = defineJob({
  name: 'dsr.shred',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('shred', payload, deps, ctx, async (row) => {
      const items = await deps.store.items(row.id);
      const context = { source: `request-${row.id}`, detail: { requestId: row.id, pass: payload.pass } };
      const kept = await deps.ledger.retain(row.subject, retentionsOf(stillHeld(items)), context);
      const { destroyed } = await deps.ledger.shred(row.subject, context);
      let holdKeys = 0;
      for (const item of releasedIn(items, payload.pass))
        holdKeys += (await deps.ledger.releaseHold(holdLabel(item), context)).destroyed.length;
      let exports = 0;
      for (const e of await deps.store.liveExports({ subject: row.subject })) {
        await removeFile(e.file);
        await removeFile(exportFiles(deps.settings.dataDir, e.requestId).collected);
        await deps.store.markExportDeleted(e.id, deps.clock.now().toISOString());
        exports++;
      }
      return {
        dataKeys: destroyed.length,
        keptCopies: kept.copies,
        holdKeysShredded: holdKeys,
        exportsDeleted: exports,
      };
    }),
});

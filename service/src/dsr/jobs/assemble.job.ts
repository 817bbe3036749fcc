import { defineJob } from '../../platform/queue/define-job.js';
import type { Collected } from '../erasure-plan.js';
import { buildExportJson, renderExportHtml } from '../export-render.js';
import { StepPayload } from '../flows.js';
import { readSealed, writeSealedStream } from '../sealed-file.js';
import { zipStream } from '../zip.js';
import { exportFiles, exportKey, type ExportKeyNeeds } from './export-files.js';
import { runStep, type StepDeps, type DsrJobDeps } from './step.js';

type Needs = StepDeps & ExportKeyNeeds & Pick<DsrJobDeps, 'policy'>;

/** Access, step 2: the ZIP (index.html + export.json, deflated), streamed through the cipher: encrypted at rest with the export's own key. */
export const assembleJob = defineJob({
  name: 'dsr.assemble',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('assemble', payload, deps, ctx, async (row) => {
      const files = exportFiles(deps.settings.dataDir, row.id);
      const key = await exportKey(deps, row);
      const collected = JSON.parse(
        (await readSealed(files.collected, key, `collected:${row.id}`)).toString('utf8'),
      ) as Collected;
      const timeline = await deps.ledger.timeline(row.subject);
      const json = buildExportJson({
        requestId: row.id,
        generatedAt: deps.clock.now().toISOString(),
        collected,
        timeline,
        policy: deps.policy,
      });
      const zip = zipStream(
        [
          { name: 'index.html', data: Buffer.from(renderExportHtml(json, deps.policy)) },
          { name: 'export.json', data: Buffer.from(JSON.stringify(json, null, 1)) },
        ],
        deps.clock.now(),
      );
      // The staged collection stays until the next step: a crash after this write re-assembles from it.
      const bytes = await writeSealedStream(files.zip, key, zip, `export:${row.id}`);
      return { bytes, orders: collected.orders.length };
    }),
});

import { FlowProducer, type FlowJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DsrKind } from '../../../shared/src/contracts/dsr.js';
import { StepPayload, stepOptions, type DsrJobSettings } from './jobs/step.js';

/** The steps of each flow, in order: a step runs once the one before it completed (BullMQ parent/child). */
export const FLOWS = {
  access: ['dsr.collect', 'dsr.assemble', 'dsr.deliver-export'],
  erasure: ['dsr.plan-erasure', 'dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt'],
  release: ['dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt'],
  rectification: ['dsr.rectify'],
} as const;

/**
 * What `dsr retry` runs again for an erasure whose steps all ran: in needs attention, the items the
 * last residue check flagged are erased again, then checked, then the receipt; a completed erasure
 * an operator wants re-checked is only checked (its receipt stands unless residue is found).
 */
export const RECHECK = {
  // Shred again too: an export file or a data key made since the first shred would be residue.
  needsAttention: ['dsr.execute-erasure', 'dsr.shred', 'dsr.check-residue', 'dsr.receipt'],
  settled: ['dsr.check-residue'],
} as const;

/** jobIds from natural keys (no `:`), so adding a flow twice adds nothing new. */
export const jobIdOf = (step: string, requestId: string, pass: number) => `${step.replace('.', '-')}-${requestId}-p${pass}`;

export function flowTree(steps: readonly string[], requestId: string, pass: number, settings: Pick<DsrJobSettings, 'attempts' | 'backoffMs'>, prefix: string, retry?: number, round = 0): FlowJob {
  const data = StepPayload.parse({ requestId, pass, round });
  let tree: FlowJob | undefined;
  for (const step of steps) {
    const job: FlowJob = { name: step, queueName: 'dsr', prefix, data, opts: { ...stepOptions(settings), jobId: `${jobIdOf(step, requestId, pass)}${retry ? `-r${retry}` : ''}` }, ...(tree ? { children: [tree] } : {}) };
    tree = job;
  }
  return tree!;
}

/** Adds request flows to Redis (ids only). */
export class DsrFlows {
  readonly #producer: FlowProducer;
  constructor(connection: Redis, private readonly prefix: string, private readonly settings: Pick<DsrJobSettings, 'attempts' | 'backoffMs'>) {
    this.#producer = new FlowProducer({ connection, prefix });
  }

  async start(kind: DsrKind | 'release', requestId: string, pass = 1): Promise<void> {
    const steps = kind === 'erasure' && pass > 1 ? FLOWS.release : FLOWS[kind];
    await this.#producer.add(flowTree(steps, requestId, pass, this.settings, this.prefix));
  }

  /** The steps of a request's current flow (an erasure pass after the first is a release). */
  static stepsOf(kind: DsrKind, pass: number): readonly string[] {
    return kind === 'erasure' && pass > 1 ? FLOWS.release : FLOWS[kind];
  }

  /** A retry: `steps` (the ones not yet recorded) of `round` under fresh job ids tagged `retry`, so failed jobs of the first run do not block them. */
  async restart(steps: readonly string[], requestId: string, pass: number, retry: number, round = 0): Promise<void> {
    await this.#producer.add(flowTree(steps, requestId, pass, this.settings, this.prefix, retry, round));
  }

  close() {
    return this.#producer.close();
  }
}

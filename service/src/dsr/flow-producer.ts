import { FlowProducer, type FlowJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DsrKind } from '../../../shared/src/contracts/dsr.js';
import { jobIdOf, StepPayload, stepOptions, stepsOf, type StepRetry } from './flows.js';

export function flowTree(
  steps: readonly string[],
  requestId: string,
  pass: number,
  settings: StepRetry,
  prefix: string,
  retry?: number,
  round = 0,
): FlowJob {
  const data = StepPayload.parse({ requestId, pass, round });
  let tree: FlowJob | undefined;
  for (const step of steps) {
    const job: FlowJob = {
      name: step,
      queueName: 'dsr',
      prefix,
      data,
      opts: { ...stepOptions(settings), jobId: `${jobIdOf(step, requestId, pass)}${retry ? `-r${retry}` : ''}` },
      ...(tree ? { children: [tree] } : {}),
    };
    tree = job;
  }
  return tree!;
}

/** Adds request flows to Redis (ids only). */
export class DsrFlows {
  readonly #producer: FlowProducer;
  constructor(
    connection: Redis,
    private readonly prefix: string,
    private readonly settings: StepRetry,
  ) {
    this.#producer = new FlowProducer({ connection, prefix });
  }

  async start(kind: DsrKind | 'release', requestId: string, pass = 1): Promise<void> {
    await this.#producer.add(flowTree(stepsOf(kind, pass), requestId, pass, this.settings, this.prefix));
  }

  /** A retry: `steps` (the ones not yet recorded) of `round` under fresh job ids tagged `retry`, so failed jobs of the first run do not block them. */
  async restart(steps: readonly string[], requestId: string, pass: number, retry: number, round = 0): Promise<void> {
    await this.#producer.add(flowTree(steps, requestId, pass, this.settings, this.prefix, retry, round));
  }

  close() {
    return this.#producer.close();
  }
}

import type { RequestHandler } from 'express';

/** One injected fault; `times` counts down (Infinity by default) and `match` narrows it to some requests. */
export type Fault = {
  status?: number;
  body?: unknown;
  retryAfter?: number;
  latencyMs?: number;
  times?: number;
  match?: (req: { method: string; path: string }) => boolean;
};

/**
 * Fault injection for client back-off tests: 429 with Retry-After, 5xx, latency. Faults are
 * consumed in order; a fault with only `latencyMs` delays the request and lets it through.
 */
export class FaultInjector {
  private readonly faults: Fault[] = [];
  /** Requests seen by the double, with how many were in flight when each arrived (itself included). */
  readonly requests: { method: string; path: string; inFlight: number }[] = [];
  #inFlight = 0;

  /** The most requests the double was answering at once. */
  get peakInFlight(): number {
    return this.requests.reduce((max, r) => Math.max(max, r.inFlight), 0);
  }

  inject(fault: Fault): this {
    this.faults.push({ times: Infinity, ...fault });
    return this;
  }
  rateLimit(retryAfter = 1, times = 1): this {
    return this.inject({ status: 429, retryAfter, times });
  }
  serverError(status = 500, times = 1): this {
    return this.inject({ status, times });
  }
  latency(latencyMs: number, times = Infinity): this {
    return this.inject({ latencyMs, times });
  }
  clear(): void {
    this.faults.length = 0;
  }

  middleware(): RequestHandler {
    return async (req, res, next) => {
      this.#inFlight++;
      res.once('close', () => this.#inFlight--);
      this.requests.push({ method: req.method, path: req.path, inFlight: this.#inFlight });
      const i = this.faults.findIndex((f) => (f.times ?? 0) > 0 && (!f.match || f.match(req)));
      const fault = i >= 0 ? this.faults[i]! : undefined;
      if (!fault) return next();
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) this.faults.splice(i, 1);
      if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (!fault.status) return next();
      if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
      res
        .status(fault.status)
        .type('application/json; charset=UTF-8')
        .send(
          JSON.stringify(
            fault.body ?? {
              code: fault.status === 429 ? 'too_many_requests' : 'internal_server_error',
              message: fault.status === 429 ? 'Too many requests.' : 'There has been a critical error on this website.',
              data: { status: fault.status },
            },
          ),
        );
    };
  }
}

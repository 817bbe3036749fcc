/**
 * A personal value travelling inside the process. It prints as `[redacted]` everywhere
 * (logs, JSON, string templates, util.inspect); only the adapter that needs it calls `reveal()`.
 */
export class Sensitive<T> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  reveal(): T {
    return this.#value;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Sensitive([redacted])';
  }
}

export const sensitive = <T>(value: T) => new Sensitive(value);

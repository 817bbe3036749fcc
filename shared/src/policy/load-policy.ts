import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findFieldEntry, type Resource } from './field-path.js';
import { Policy, type FieldMapEntry } from './policy-schema.js';

export type PolicyErrorCode = 'POLICY_NOT_FOUND' | 'POLICY_UNREADABLE' | 'POLICY_INVALID';

/**
 * A policy file that cannot be used. The message names the file and, for an invalid policy,
 * the first bad path (`fieldMap[3].category`) and what is wrong there — never a value from the file.
 */
export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    readonly file: string,
    readonly issuePath: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

const BUNDLED = path.join('shared', 'policy', 'policy.json');

/**
 * The bundled policy file: the first `shared/policy/policy.json` found walking up from this
 * source file, so it resolves from `shared/src/policy` (ts, jest) and from `dist/shared/src/policy`
 * (after `tsc`, which does not copy JSON) alike.
 */
export function findBundledPolicy(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, BUNDLED);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new PolicyError('POLICY_NOT_FOUND', BUNDLED, null, `Policy file ${BUNDLED} not found above ${from}`);
    }
  }
}

/** Reads and validates a policy file (default: the bundled one). Throws {@link PolicyError}. */
export function loadPolicy(file?: string): Policy {
  const resolved = file ? path.resolve(file) : findBundledPolicy();
  let text: string;
  try {
    text = readFileSync(resolved, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const kind = code === 'ENOENT' ? 'POLICY_NOT_FOUND' : 'POLICY_UNREADABLE';
    throw new PolicyError(kind, resolved, null, `Policy file ${resolved} could not be read (${code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text around the error, so it is not passed on.
    throw new PolicyError('POLICY_UNREADABLE', resolved, null, `Policy file ${resolved} is not valid JSON`);
  }
  return parsePolicy(json, resolved);
}

/** Validates already-parsed policy data; `source` names it in errors. Pure. */
export function parsePolicy(data: unknown, source = 'policy'): Policy {
  const parsed = Policy.safeParse(data);
  if (parsed.success) return parsed.data;
  const [first] = parsed.error.issues;
  const where = first ? formatIssuePath(first.path) : '(root)';
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  throw new PolicyError(
    'POLICY_INVALID',
    source,
    where,
    `Policy ${source} is invalid at ${where}: ${first?.message ?? 'unknown issue'}${more}`,
  );
}

/** `['fieldMap', 3, 'category']` → `fieldMap[3].category`. */
export function formatIssuePath(issuePath: readonly PropertyKey[]): string {
  if (issuePath.length === 0) return '(root)';
  return issuePath.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

export type FieldClassification = FieldMapEntry & { special: boolean };

/**
 * How the policy governs one field of a WooCommerce resource (`billing.email`,
 * `line_items[0].meta_data[Ora]`, see field-path.ts), or null when the field map does not
 * cover it. `special` repeats the category's flag so callers can encrypt and hide at once.
 */
export function classifyField(policy: Policy, resource: Resource, fieldPath: string): FieldClassification | null {
  const entry = findFieldEntry(policy.fieldMap, resource, fieldPath);
  if (!entry) return null;
  const special = policy.categories.find((c) => c.id === entry.category)?.special ?? true;
  return { ...entry, special };
}

/** Paths of every value the controller still has to supply (`placeholder: true`). */
export function listPlaceholders(policy: Policy): string[] {
  const found: string[] = [];
  const walk = (value: unknown, at: PropertyKey[]) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...at, i]));
    else if (value && typeof value === 'object') {
      if ((value as { placeholder?: unknown }).placeholder === true) found.push(formatIssuePath(at));
      for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
    }
  };
  walk(policy, []);
  return found;
}

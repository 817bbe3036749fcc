import { findFieldEntry } from './field-path.js';
import { isArticle9, isConsentBasis } from './gdpr.js';
import type { PolicyShape } from './policy-schema.js';

export type ReportIssue = (path: (string | number)[], message: string) => void;

/**
 * The rules a policy's parts must obey together. Messages name the collection that lacks an
 * entry, never the offending value, so an error can be logged as is.
 */
export function checkReferences(policy: PolicyShape, report: ReportIssue): void {
  const categories = indexById(policy, 'categories', report);
  const purposes = indexById(policy, 'purposes', report);
  const bases = indexById(policy, 'legalBases', report);
  const rules = indexById(policy, 'retention', report);
  const recipients = indexById(policy, 'recipients', report);
  indexById(policy, 'rights', report);

  const need =
    <T>(index: Map<string, T>, collection: string) =>
    (id: string, path: (string | number)[]) => {
      const found = index.get(id);
      if (!found) report(path, `names no entry in ${collection}`);
      return found;
    };
  const category = need(categories, 'categories');
  const purpose = need(purposes, 'purposes');
  const basis = need(bases, 'legalBases');
  const rule = need(rules, 'retention');

  policy.categories.forEach((c, i) => {
    if (c.healthRelated && !c.special)
      report(['categories', i, 'special'], 'a health-related category must be special: true');
  });
  policy.purposes.forEach((p, i) => p.legalBases.forEach((id, j) => basis(id, ['purposes', i, 'legalBases', j])));

  policy.retention.forEach((r, i) => {
    const at = (key: string) => ['retention', i, key];
    if (r.anchor === 'hold-released' && !r.when)
      report(at('anchor'), 'hold-released is only valid on a rule with when');
    if (r.purpose) purpose(r.purpose, at('purpose'));
    const art6 = r.legalBasis && basis(r.legalBasis, at('legalBasis'));
    if (art6 && isArticle9(art6.gdpr)) report(at('legalBasis'), 'must be an Art. 6 basis');
    const art9 = r.specialCondition && basis(r.specialCondition, at('specialCondition'));
    if (art9 && !isArticle9(art9.gdpr)) report(at('specialCondition'), 'must be an Art. 9(2) condition');
  });

  policy.recipients.forEach((r, i) => {
    r.categories.forEach((id, j) => category(id, ['recipients', i, 'categories', j]));
    r.purposes.forEach((id, j) => purpose(id, ['recipients', i, 'purposes', j]));
  });

  // Payment methods: each names a recipient that exists and receives payment data, once per method.
  const recipient = need(recipients, 'recipients');
  const paymentRecipient = (id: string | null, path: (string | number)[]) => {
    const r = id === null ? null : recipient(id, path);
    if (r && !r.purposes.includes('payment'))
      report(path, 'names a recipient that does not receive data for the payment purpose');
  };
  const methods = new Set<string>();
  policy.payments.methods.forEach((m, i) => {
    if (methods.has(m.id)) report(['payments', 'methods', i, 'id'], 'is listed twice');
    methods.add(m.id);
    paymentRecipient(m.recipient, ['payments', 'methods', i, 'recipient']);
  });
  paymentRecipient(policy.payments.otherMethods, ['payments', 'otherMethods']);

  policy.cookies.categories.forEach((c, i) => {
    const at = (key: string) => ['cookies', 'categories', i, key];
    purpose(c.purpose, at('purpose'));
    const b = basis(c.legalBasis, at('legalBasis'));
    if (b && c.requiresConsent !== isConsentBasis(b.gdpr))
      report(at('requiresConsent'), 'must be true exactly when the legal basis is consent');
  });
  if (Array.isArray(policy.cookies.inventory)) {
    const ids = new Set(policy.cookies.categories.map((c) => c.id));
    policy.cookies.inventory.forEach((c, i) => {
      if (!ids.has(c.category)) report(['cookies', 'inventory', i, 'category'], 'names no entry in cookies.categories');
    });
  }

  checkFieldMap(policy, { category, purpose, basis, rule }, report);
  checkBookingMeta(policy, categories, report);
}

type Lookups = {
  category: (id: string, path: (string | number)[]) => PolicyShape['categories'][number] | undefined;
  purpose: (id: string, path: (string | number)[]) => PolicyShape['purposes'][number] | undefined;
  basis: (id: string, path: (string | number)[]) => PolicyShape['legalBases'][number] | undefined;
  rule: (id: string, path: (string | number)[]) => PolicyShape['retention'][number] | undefined;
};

function checkFieldMap(policy: PolicyShape, find: Lookups, report: ReportIssue): void {
  const seen = new Set<string>();
  // The ledger records a resource's data per purpose and basis, with one retention rule per category (as Art. 30 lists them).
  const ruleOf = new Map<string, string>();
  policy.fieldMap.forEach((entry, i) => {
    const at = (...key: (string | number)[]) => ['fieldMap', i, ...key];
    const key = `${entry.resource} ${entry.path}`;
    if (seen.has(key)) report(at('path'), 'repeats an earlier entry for the same resource and path');
    seen.add(key);
    const group = `${entry.resource} ${entry.purpose} ${entry.legalBasis} ${entry.category}`;
    const earlier = ruleOf.get(group);
    if (earlier === undefined) ruleOf.set(group, entry.retention);
    else if (earlier !== entry.retention)
      report(
        at('retention'),
        "differs from an earlier entry's for the same resource, category, purpose and legal basis",
      );

    const category = find.category(entry.category, at('category'));
    const purpose = find.purpose(entry.purpose, at('purpose'));
    const basis = find.basis(entry.legalBasis, at('legalBasis'));
    if (basis && isArticle9(basis.gdpr))
      report(at('legalBasis'), 'must be an Art. 6 basis; put Art. 9 in specialCondition');
    if (basis && purpose && !purpose.legalBases.includes(basis.id))
      report(at('legalBasis'), 'is not among the legal bases of its purpose');

    if (entry.specialCondition) {
      const condition = find.basis(entry.specialCondition, at('specialCondition'));
      if (condition && !isArticle9(condition.gdpr)) report(at('specialCondition'), 'must be an Art. 9(2) condition');
      if (condition && purpose && !purpose.legalBases.includes(condition.id))
        report(at('specialCondition'), 'is not among the legal bases of its purpose');
      if (category && !category.special) report(at('specialCondition'), 'is only allowed for a special category');
    } else if (category?.special) {
      report(at('specialCondition'), 'is required: the category is special (Art. 9)');
    }

    const retention = find.rule(entry.retention, at('retention'));
    if (retention?.when) report(at('retention'), 'must be a retention rule without when (holds go in holds)');
    entry.holds?.forEach((id, j) => {
      const hold = find.rule(id, at('holds', j));
      if (hold && !hold.when) report(at('holds', j), 'must be a retention rule with when');
    });
  });
}

/** Every booking detail the shop stores must map to a special category. */
function checkBookingMeta(
  policy: PolicyShape,
  categories: Map<string, { special: boolean }>,
  report: ReportIssue,
): void {
  const check = (list: 'itemMeta' | 'orderMeta', base: string) =>
    policy.bookingMeta[list].forEach((meta, i) => {
      const entry = findFieldEntry(policy.fieldMap, 'order', `${base}[${meta.key}]`);
      if (!entry || categories.get(entry.category)?.special !== true) {
        report(['bookingMeta', list, i, 'key'], 'must be mapped in fieldMap to a special category');
      }
    });
  check('itemMeta', 'line_items[*].meta_data');
  check('orderMeta', 'meta_data');
}

type WithIds = 'categories' | 'purposes' | 'legalBases' | 'retention' | 'recipients' | 'rights';

function indexById<K extends WithIds>(policy: PolicyShape, key: K, report: ReportIssue) {
  const index = new Map<string, PolicyShape[K][number]>();
  policy[key].forEach((item, i) => {
    if (index.has(item.id)) report([key, i, 'id'], `repeats an earlier id in ${key}`);
    else index.set(item.id, item);
  });
  return index;
}

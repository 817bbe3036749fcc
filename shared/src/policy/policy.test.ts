import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addIsoPeriod, parseIsoPeriod } from './iso-period.js';
import {
  classifyField,
  findBundledPolicy,
  listPlaceholders,
  loadPolicy,
  parsePolicy,
  PolicyError,
} from './load-policy.js';
import { isArticle9 } from './gdpr.js';
import type { Policy } from './policy-schema.js';
import type { Resource } from './field-path.js';

// shared/src/policy → the repo's test/fixtures, the responses captured from a real WooCommerce.
const FIXTURES_DIR = path.resolve(__dirname, '../../../test/fixtures');

function fixtureBody(name: string): unknown {
  const file = path.join(FIXTURES_DIR, 'woocommerce', name);
  if (!existsSync(file)) throw new Error(`Fixture ${file} is missing: it is part of the repository (test/fixtures)`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { response: { body: unknown } }).response.body;
}

/** Leaf paths of a REST body; a meta entry `{ id, key, value }` is one field, addressed by its key. */
function leafPaths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown, i) =>
      at.endsWith('meta_data') && item && typeof item === 'object' && 'key' in item
        ? [`${at}[${String((item as { key: unknown }).key)}]`]
        : leafPaths(item, `${at}[${i}]`),
    );
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, at ? `${at}.${key}` : key));
  }
  return [at];
}

/** Fields that carry no personal data, so the field map leaves them out on purpose. */
const NON_PERSONAL: Record<Resource, string[]> = {
  order: [
    'parent_id',
    'version',
    'prices_include_tax',
    'created_via',
    'cart_hash',
    'currency_symbol', // shop and software state
    'is_editable',
    'needs_payment',
    'needs_processing', // derived flags
    'order_key',
    'payment_url', // an access token (a secret to guard, not data about the person) and the URL carrying it
    'line_items[*].id',
    'line_items[*].tax_class',
    'line_items[*].image.id',
    'line_items[*].image.src',
    'line_items[*].parent_name',
  ],
  customer: [],
  booking: [],
};
const isSkipped = (resource: Resource, leaf: string) =>
  leaf.startsWith('_links.') || NON_PERSONAL[resource].includes(leaf.replace(/\[\d+\]/g, '[*]'));

const rawPolicy = () => JSON.parse(readFileSync(findBundledPolicy(), 'utf8')) as Record<string, any>;

function expectInvalidAt(mutate: (raw: Record<string, any>) => void, issuePath: string, message: string) {
  const raw = rawPolicy();
  mutate(raw);
  let error: unknown;
  try {
    parsePolicy(raw, 'test-policy');
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(PolicyError);
  expect(error).toMatchObject({ code: 'POLICY_INVALID', issuePath });
  expect((error as Error).message).toContain(`invalid at ${issuePath}: ${message}`);
}

describe('the bundled policy', () => {
  let policy: Policy;
  beforeAll(() => {
    policy = loadPolicy();
  });

  it('is found beside the sources and parses', () => {
    expect(findBundledPolicy()).toMatch(/shared[/\\]policy[/\\]policy\.json$/);
    expect(policy.controller.email).toBe('info@icbt.al');
    expect(policy.version.label).toBe('icbt-pp-1');
  });

  it('gives every category, purpose, basis, rule, recipient, right and cookie category in Albanian and English', () => {
    const named = [
      ...policy.categories,
      ...policy.purposes,
      ...policy.legalBases,
      ...policy.retention,
      ...policy.recipients,
      ...policy.rights,
      ...policy.cookies.categories,
    ];
    for (const item of named) {
      for (const text of [item.name, item.description]) {
        expect(Object.keys(text)).toEqual(['sq', 'en']);
        expect(text.sq.trim()).not.toBe('');
        expect(text.en.trim()).not.toBe('');
      }
    }
  });

  it('marks health-related categories special and gives their fields an Art. 9 condition', () => {
    const special = new Set(policy.categories.filter((c) => c.special).map((c) => c.id));
    expect(special).toEqual(new Set(['service-purchased', 'appointment', 'customer-note', 'notes', 'other']));
    const art9 = new Set(policy.legalBases.filter((b) => isArticle9(b.gdpr)).map((b) => b.id));
    for (const entry of policy.fieldMap.filter((e) => special.has(e.category))) {
      expect(art9.has(entry.specialCondition ?? '')).toBe(true);
    }
  });

  it('answers rights requests within one calendar month, extendable by two', () => {
    expect(policy.dsr).toMatchObject({ deadline: 'P1M', maxExtension: 'P2M' });
    expect(addIsoPeriod(new Date('2026-01-31T10:00:00Z'), policy.dsr.deadline).toISOString()).toBe(
      '2026-02-28T10:00:00.000Z',
    );
  });

  it('keeps invoice fields of paid orders for accounting, and not the contact or session details', () => {
    const held = (p: string) => classifyField(policy, 'order', p)?.holds?.includes('accounting') ?? false;
    for (const p of [
      'billing.first_name',
      'billing.address_1',
      'number',
      'total',
      'line_items[0].name',
      'transaction_id',
      'payment_method_title',
    ]) {
      expect([p, held(p)]).toEqual([p, true]);
    }
    for (const p of [
      'billing.email',
      'billing.phone',
      'customer_ip_address',
      'line_items[0].meta_data[Psikologu]',
      'customer_note',
    ]) {
      expect([p, held(p)]).toEqual([p, false]);
    }
  });

  it('lists the points the published policy leaves open', () => {
    const open = listPlaceholders(policy);
    expect(open).toEqual(
      expect.arrayContaining(['version.effectiveDate', 'controller.address', 'controller.taxId', 'cookies.inventory']),
    );
    expect(open.some((p) => p.startsWith('recipients['))).toBe(true);
  });

  describe.each([
    ['order', 'order-single-guest.json'],
    ['order', 'order-single-partial-refund.json'],
    ['customer', 'customer-single.json'],
  ] as const)('classifies every personal field of %s (%s)', (resource, fixture) => {
    const leaves = leafPaths(fixtureBody(fixture));

    it('maps each field that is not on the non-personal list', () => {
      const unmapped = leaves.filter(
        (leaf) => !isSkipped(resource, leaf) && classifyField(policy, resource, leaf) === null,
      );
      expect(unmapped).toEqual([]);
    });

    it('leaves the non-personal fields out of the map', () => {
      const mappedAnyway = leaves.filter(
        (leaf) => isSkipped(resource, leaf) && classifyField(policy, resource, leaf) !== null,
      );
      expect(mappedAnyway).toEqual([]);
    });

    it('treats all line-item meta (the booking) as special-category data', () => {
      for (const leaf of leaves.filter((l) => /^line_items\[\d+\]\.meta_data\[/.test(l))) {
        expect([leaf, classifyField(policy, resource, leaf)?.special]).toEqual([leaf, true]);
      }
    });
  });

  it('maps the Albanian booking labels to appointment data under Art. 9(2)(h)', () => {
    expect(policy.bookingMeta.itemMeta.map((m) => m.key)).toEqual([
      'Data e seancës',
      'Ora',
      'Psikologu',
      'Preferenca',
      '_booking_id',
      '_booking_status',
    ]);
    for (const { key } of policy.bookingMeta.itemMeta) {
      expect(classifyField(policy, 'order', `line_items[0].meta_data[${key}]`)).toMatchObject({
        category: 'appointment',
        special: true,
        specialCondition: 'health-care',
        retention: 'session',
      });
    }
    expect(classifyField(policy, 'order', 'meta_data[booking_reference]')).toMatchObject({
      category: 'appointment',
      special: true,
    });
    expect(classifyField(policy, 'booking', 'start')).toMatchObject({ category: 'appointment', special: true });
  });
});

describe('classifyField', () => {
  const policy = loadPolicy();

  it('prefers an exact path, then the most specific wildcard', () => {
    expect(classifyField(policy, 'order', 'shipping.phone')?.category).toBe('contact');
    expect(classifyField(policy, 'order', 'shipping.address_1')?.category).toBe('shipping-address');
    expect(classifyField(policy, 'order', 'line_items[3].meta_data[_booking_resource]')?.path).toBe(
      'line_items[*].meta_data[_booking_*]',
    );
    expect(classifyField(policy, 'order', 'line_items[3].meta_data[Some plugin field]')?.path).toBe(
      'line_items[*].meta_data[*]',
    );
    expect(classifyField(policy, 'order', 'meta_data[_some_plugin]')).toMatchObject({
      category: 'other',
      special: true,
    });
    expect(classifyField(policy, 'customer', 'meta_data[marketing_consent]')).toMatchObject({
      purpose: 'marketing',
      legalBasis: 'consent',
    });
  });

  it('keeps resources apart and returns null for unknown fields', () => {
    expect(classifyField(policy, 'customer', 'customer_ip_address')).toBeNull();
    expect(classifyField(policy, 'order', 'no_such_field')).toBeNull();
    expect(classifyField(policy, 'order', 'billing.email.extra')).toBeNull();
  });
});

describe('policy validation', () => {
  it('names the field-map entry whose category does not exist, without echoing the value', () => {
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[2].category = 'no-such-category';
      },
      'fieldMap[2].category',
      'names no entry in categories',
    );
    const raw = rawPolicy();
    raw.fieldMap[2].category = 'no-such-category';
    expect(() => parsePolicy(raw)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('no-such-category') }),
    );
  });

  it('catches unknown purposes, bases and retention rules', () => {
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[0].purpose = 'selling';
      },
      'fieldMap[0].purpose',
      'names no entry in purposes',
    );
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[0].legalBasis = 'whim';
      },
      'fieldMap[0].legalBasis',
      'names no entry in legalBases',
    );
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[0].retention = 'forever';
      },
      'fieldMap[0].retention',
      'names no entry in retention',
    );
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[0].holds = ['usage'];
      },
      'fieldMap[0].holds[0]',
      'must be a retention rule with when',
    );
    expectInvalidAt(
      (raw) => {
        raw.recipients[0].categories = ['nope'];
      },
      'recipients[0].categories[0]',
      'names no entry in categories',
    );
    expectInvalidAt(
      (raw) => {
        raw.payments.methods[0].recipient = 'nobody';
      },
      'payments.methods[0].recipient',
      'names no entry in recipients',
    );
    expectInvalidAt(
      (raw) => {
        raw.payments.otherMethods = 'hosting';
        raw.recipients.find((r: { id: string }) => r.id === 'hosting').purposes = ['booking'];
      },
      'payments.otherMethods',
      'names a recipient that does not receive data for the payment purpose',
    );
    expectInvalidAt(
      (raw) => {
        raw.payments.methods.push({ ...raw.payments.methods[0] });
      },
      `payments.methods[${rawPolicy().payments.methods.length}].id`,
      'is listed twice',
    );
  });

  it('requires special categories for health data and Art. 9 conditions for special fields', () => {
    const index = (raw: Record<string, any>, path: string) =>
      raw.fieldMap.findIndex((e: { path: string }) => e.path === path);
    const appointment = rawPolicy().categories.findIndex((c: { id: string }) => c.id === 'appointment');
    expectInvalidAt(
      (raw) => {
        raw.categories[appointment].special = false;
      },
      `categories[${appointment}].special`,
      'a health-related category must be special: true',
    );
    const meta = 'line_items[*].meta_data[Psikologu]';
    const at = index(rawPolicy(), meta);
    expectInvalidAt(
      (raw) => {
        delete raw.fieldMap[at].specialCondition;
      },
      `fieldMap[${at}].specialCondition`,
      'is required: the category is special (Art. 9)',
    );
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[at].specialCondition = 'contract';
      },
      `fieldMap[${at}].specialCondition`,
      'must be an Art. 9(2) condition',
    );
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[0].legalBasis = 'health-care';
      },
      'fieldMap[0].legalBasis',
      'must be an Art. 6 basis; put Art. 9 in specialCondition',
    );
  });

  it('requires consent where the purpose allows nothing else', () => {
    expectInvalidAt(
      (raw) => {
        const entry = raw.fieldMap.find((e: { path: string }) => e.path === 'meta_data[marketing_consent]');
        entry.legalBasis = 'legitimate-interests';
      },
      `fieldMap[${rawPolicy().fieldMap.findIndex((e: { path: string }) => e.path === 'meta_data[marketing_consent]')}].legalBasis`,
      'is not among the legal bases of its purpose',
    );
    expectInvalidAt(
      (raw) => {
        raw.cookies.categories[1].requiresConsent = false;
      },
      'cookies.categories[1].requiresConsent',
      'must be true exactly when the legal basis is consent',
    );
  });

  it('gives a category one retention rule per resource, purpose and legal basis', () => {
    const at = rawPolicy().fieldMap.findIndex(
      (e: { resource: string; path: string }) => e.resource === 'order' && e.path === 'billing.phone',
    );
    expectInvalidAt(
      (raw) => {
        raw.fieldMap[at].retention = 'session';
      },
      `fieldMap[${at}].retention`,
      "differs from an earlier entry's for the same resource, category, purpose and legal basis",
    );
    // Another resource's contact data may be kept for another time: every customer contact field kept per session is valid.
    const raw = rawPolicy();
    raw.fieldMap
      .filter((e: { resource: string; category: string }) => e.resource === 'customer' && e.category === 'contact')
      .forEach((e: { retention: string }) => {
        e.retention = 'session';
      });
    expect(() => parsePolicy(raw)).not.toThrow();
  });

  it('requires both languages and a valid retention period', () => {
    expectInvalidAt(
      (raw) => {
        delete raw.purposes[0].name.en;
      },
      'purposes[0].name.en',
      'Invalid input: expected string',
    );
    expectInvalidAt(
      (raw) => {
        raw.retention[0].period = 'PT12H';
      },
      'retention[0].period',
      'must be an ISO-8601 period',
    );
  });

  it('requires every booking meta key to be mapped to a special category', () => {
    expectInvalidAt(
      (raw) => {
        raw.bookingMeta.itemMeta[0].key = 'Terapia';
        raw.fieldMap = raw.fieldMap.filter((e: { path: string }) => e.path !== 'line_items[*].meta_data[*]');
      },
      'bookingMeta.itemMeta[0].key',
      'must be mapped in fieldMap to a special category',
    );
  });
});

describe('loadPolicy errors', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pb-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a missing file', () => {
    expect(() => loadPolicy(path.join(dir, 'absent.json'))).toThrow(
      expect.objectContaining({ code: 'POLICY_NOT_FOUND' }),
    );
  });

  it('reports broken JSON without quoting it', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "controller": { "email": "canary-7f3a@example.invalid", } ');
    expect(() => loadPolicy(file)).toThrow(
      expect.objectContaining({ code: 'POLICY_UNREADABLE', message: expect.not.stringContaining('canary') }),
    );
  });

  it('reports the first bad path of an invalid file without echoing the value', () => {
    const file = path.join(dir, 'invalid.json');
    const raw = rawPolicy();
    raw.controller.email = 'canary-7f3a-not-an-email';
    writeFileSync(file, JSON.stringify(raw));
    expect(() => loadPolicy(file)).toThrow(
      expect.objectContaining({ issuePath: 'controller.email', message: expect.not.stringContaining('canary') }),
    );
  });
});

describe('ISO-8601 periods', () => {
  it('adds calendar months and years, clamping to the end of a shorter month', () => {
    expect(addIsoPeriod(new Date('2024-02-29T00:00:00Z'), 'P1Y').toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(addIsoPeriod(new Date('2026-11-30T12:00:00Z'), 'P3M').toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect(addIsoPeriod(new Date('2026-12-31T00:00:00Z'), 'P10Y').toISOString()).toBe('2036-12-31T00:00:00.000Z');
    expect(addIsoPeriod(new Date('2026-01-01T00:00:00Z'), 'P1M2W3D').toISOString()).toBe('2026-02-18T00:00:00.000Z');
    expect(addIsoPeriod(new Date('2026-01-01T00:00:00Z'), 'P0D').toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('rejects time parts and empty periods', () => {
    for (const bad of ['P', 'PT1H', 'P1H', '1M', 'P1.5Y']) expect(() => parseIsoPeriod(bad)).toThrow(RangeError);
  });
});

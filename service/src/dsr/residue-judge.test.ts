import type { ItemRow } from './dsr-store.js';
import { judgeProbe } from './residue-judge.js';

const item = (p: Partial<ItemRow> & Pick<ItemRow, 'item' | 'resource' | 'action'>): ItemRow => ({ requestId: 'r', pass: 1, resourceId: null, fields: [], fingerprints: {}, hold: null, until: null, doneAt: null, result: null, releasedPass: null, ...p } as ItemRow);
const terms = [{ kind: 'email' as const, value: 'a@example.com' }, { kind: 'phone' as const, value: '+355 69 123 4567' }, { kind: 'name' as const, value: 'Hoxha' }];
const hit = (h: Partial<{ table: string; column: string; orderId: number | null; userId: number | null; term: number }>) => ({ table: 'postmeta', column: 'meta_value', row: '1', orderId: null, userId: null, term: 0, ...h });
const items = [
  item({ item: 'order-10/anonymise', resource: 'order', resourceId: 10, action: 'anonymise', fields: ['billing.email', 'billing.phone'] }),
  item({ item: 'order-10/retain/accounting', resource: 'order', resourceId: 10, action: 'retain', fields: ['billing.last_name'], hold: 'accounting' }),
  item({ item: 'order-11/anonymise', resource: 'order', resourceId: 11, action: 'anonymise', fields: ['billing.email'] }),
];
const judge = (hits: ReturnType<typeof hit>[], truncated = false) => judgeProbe({ hits, tables: [], truncated }, terms, items, new Set([7]));

describe('the plugin\'s SQL residue search, judged against the plan', () => {
  it('an e-mail left on an erased order (a placeholder post\'s meta) is residue; the surname a hold keeps is not', () => {
    expect(judge([hit({ orderId: 11, term: 0 })])).toEqual([{ item: 'order-11', field: 'postmeta.meta_value', reason: 'sql:email' }]);
    expect(judge([hit({ table: 'wc_order_addresses', column: 'last_name', orderId: 10, term: 2 })])).toEqual([]);
    expect(judge([hit({ table: 'wc_order_addresses', column: 'phone', orderId: 10, term: 1 })])).toHaveLength(1); // the hold keeps the name, not the phone
  });
  it('the e-mail anywhere is residue; a phone or surname on someone else\'s row is not theirs', () => {
    expect(judge([hit({ table: 'usermeta', userId: 99, term: 0 })])).toHaveLength(1);
    expect(judge([hit({ table: 'usermeta', userId: 99, term: 2 })])).toEqual([]);
    expect(judge([hit({ table: 'usermeta', userId: 7, term: 2 })])).toHaveLength(1); // their account, not kept
  });
  it('Analytics\' customer row may mirror what a held order keeps, and a cut-off search is residue itself', () => {
    expect(judge([hit({ table: 'wc_customer_lookup', column: 'last_name', term: 2 })])).toEqual([]);
    expect(judge([hit({ table: 'wc_customer_lookup', column: 'email', term: 0 })])).toHaveLength(1);
    expect(judge([], true)).toEqual([{ item: 'db', reason: 'sql:truncated' }]);
  });
});

import { loadPolicy } from '../../../shared/src/policy/index.js';
import { renderReceipt, type Receipt } from './receipt.js';

const policy = loadPolicy();
const title = (html: string) => /<title>(.*?)<\/title>/.exec(html)![1];
const headings = (html: string) => [...html.matchAll(/<h1>(.*?)<\/h1>/g)].map((h) => h[1]);

describe('the receipt page says what kind of request it answers', () => {
  const rectification: Receipt = {
    requestId: 'r-1',
    pass: 1,
    issuedAt: '2026-10-28T12:40:00.000Z',
    policyVersion: 'v',
    nothingLeft: false,
    items: [
      { item: 'customer-4', action: 'rectified', fields: ['last_name'], hold: null, until: null },
      { item: 'order-19', action: 'retained', fields: ['last_name'], hold: 'accounting', until: null },
    ],
  };

  it('a rectification receipt is titled as one, in Albanian then English, and labels the corrected items', () => {
    const html = renderReceipt(rectification, 'c'.repeat(64), policy, 'rectification');
    expect(title(html)).toBe('Dëshmi e korrigjimit të të dhënave / Rectification receipt');
    expect(headings(html)).toEqual(['Dëshmi e korrigjimit të të dhënave', 'Rectification receipt']);
    expect(html).not.toMatch(/Erasure receipt|fshirjes/);
    expect(html).toMatch(/<td[^>]*>customer-4<\/td><td[^>]*>Corrected<\/td>/);
    expect(html).toMatch(/<td[^>]*>customer-4<\/td><td[^>]*>Korrigjuar<\/td>/);
  });

  it('an erasure receipt keeps its title', () => {
    expect(title(renderReceipt({ ...rectification, items: [] }, 'c'.repeat(64), policy))).toBe(
      'Dëshmi e fshirjes së të dhënave / Erasure receipt',
    );
  });
});

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import { keyedFingerprint, subjectRef } from '../ledger/index.js';
import { assertFixturesPresent, WOO_DIR } from '../testing/fixture-world.js';
import type { WooOrder } from '../woocommerce/index.js';
import { prepareOrder, type PlanContext } from './order-plan.js';

const pepper = randomBytes(32);
const ctx: PlanContext = {
  policy: loadPolicy(),
  timeZone: 'Europe/Tirane',
  sessionMinutes: 60,
  fingerprint: (v) => keyedFingerprint(v, pepper),
  subjectRef: (e) => subjectRef(e, pepper),
};

describe("payment data is disclosed to the processor the policy names for the order's payment method", () => {
  let order: WooOrder;
  beforeAll(() => {
    assertFixturesPresent();
    order = (
      JSON.parse(fs.readFileSync(path.join(WOO_DIR, 'order-single-guest.json'), 'utf8')) as {
        response: { body: WooOrder };
      }
    ).response.body;
  });
  const disclosure = (payment_method: string) =>
    prepareOrder(ctx, { ...order, payment_method }, undefined, 'd').payment;

  it.each(['bacs', 'cod'])(
    '%s (bank transfer, payment at the office): no disclosure to the card processor',
    (method) => {
      expect(disclosure(method)).toBeNull();
    },
  );

  it('a card payment is a disclosure to the card processor, saying which method', () => {
    const d = disclosure('test_card')!;
    expect(d).toMatchObject({ kind: 'disclosure.recorded', purpose: 'payment', categories: ['payment'] });
    expect(JSON.parse(d.detail)).toEqual({
      recipient: 'payment-processor',
      orderId: order.id,
      paymentMethod: 'test_card',
    });
  });

  it('a method the policy does not list goes to its otherMethods recipient', () => {
    expect(JSON.parse(disclosure('a_new_gateway')!.detail)).toMatchObject({
      recipient: ctx.policy.payments.otherMethods,
    });
  });
});

import type { Policy } from '../../../shared/src/policy/index.js';
import { canonicalJson, JsonText } from '../ledger/index.js';
import type { Fact, JsonObject, JsonValue, SubjectRef } from '../ledger/index.js';
import { sensitive, type Sensitive } from '../platform/sensitive.js';
import type { WooOrder } from '../woocommerce/index.js';
import { appointmentsFromOrder, type Appointment } from './bookings.js';
import { fieldsJson, groupByPolicy, type Resource } from './classify.js';
import { flatten } from './flatten.js';

/** What planning needs besides the resource: the policy, the shop's clock settings and the ledger's keyed digests. */
export type PlanContext = {
  readonly policy: Policy;
  readonly timeZone: string;
  readonly sessionMinutes: number;
  fingerprint(value: JsonValue | JsonText): string;
  subjectRef(email: Sensitive<string>): SubjectRef;
};

/**
 * A fact still waiting for its subject, its detail and its personal values (if any) already written as
 * canonical JSON text: plain strings, so it crosses to another thread cheaply (the backfill prepares
 * pages on one) and the ledger does not encode them again. `withSubject` makes it a Fact.
 */
export type FactPart = Omit<Fact, 'subject' | 'personal' | 'detail'> & {
  readonly detail: string;
  readonly values?: string;
};

/**
 * An order as far as it can be planned without the sync state: its digest, the ref of its billing
 * address, and the facts it would record. Whether they are recorded (unchanged orders write nothing),
 * under which subject, and which status change it is, depends on the stored state (SyncService).
 */
export type PreparedOrder = {
  readonly id: number;
  readonly status: string;
  readonly modifiedGmt: string | null;
  readonly digest: string;
  /** The billing address's ref; null without one, or for WooCommerce's anonymised placeholder. */
  readonly ref: SubjectRef | null;
  readonly held: readonly FactPart[];
  readonly payment: FactPart | null;
  readonly appointments: readonly FactPart[];
};

export const APPOINTMENT = 'appointment.held';

/**
 * The address WooCommerce's anonymiser writes (wp_privacy_anonymize_data('email'), recorded in
 * test/fixtures order.updated-after-privacy-erasure), and so our erasure too. It is nobody's.
 */
export const ANONYMISED_EMAIL = 'deleted@site.invalid';
const isPlaceholderEmail = (email: string) => email.trim().toLowerCase() === ANONYMISED_EMAIL;

/** The order as synced: with its notes (`orders/<id>/notes`, each with its id) when they are fetched. */
export const orderBody = (order: WooOrder, notes: unknown[] | undefined): WooOrder =>
  notes ? { ...order, notes: notes as WooOrder['notes'] } : order;

/**
 * A keyed digest of the resource as WooCommerce rendered it (navigation links left out). Its JSON
 * text is hashed as is, not as canonical JSON: WooCommerce renders fields in a fixed order, and the
 * digest only decides whether to re-plan — facts carry canonical keys, so a re-plan never duplicates
 * an entry. (Until 2026-11 the text was quoted once more first: a digest stored before then differs,
 * so that resource is re-planned once, to the entries it already has.)
 */
export const digestOf = (ctx: Pick<PlanContext, 'fingerprint'>, body: object): string =>
  ctx.fingerprint(new JsonText(JSON.stringify({ ...body, _links: undefined })));

/** The ref of an address, unless it is missing or the anonymiser's placeholder (which would join every erased customer into one subject). */
export const refOf = (ctx: Pick<PlanContext, 'subjectRef'>, email: string | undefined): SubjectRef | null =>
  email && !isPlaceholderEmail(email) ? ctx.subjectRef(sensitive(email)) : null;

/** An order as a page lists it: checkout drafts are not synced, so not prepared either. */
export function prepareListed(ctx: PlanContext, order: WooOrder, notes: unknown[] | undefined): PreparedOrder {
  if (order.status === 'checkout-draft') {
    return {
      id: order.id,
      status: order.status,
      modifiedGmt: order.date_modified_gmt ?? null,
      digest: '',
      ref: null,
      held: [],
      payment: null,
      appointments: [],
    };
  }
  return prepareOrder(ctx, order, notes, digestOf(ctx, orderBody(order, notes)));
}

/** Everything about an order that does not depend on what was synced before; `digest` is digestOf(orderBody(order, notes)). */
export function prepareOrder(
  ctx: PlanContext,
  order: WooOrder,
  notes: unknown[] | undefined,
  digest: string,
): PreparedOrder {
  const body = orderBody(order, notes);
  return {
    id: order.id,
    status: order.status,
    modifiedGmt: order.date_modified_gmt ?? null,
    digest,
    ref: refOf(ctx, order.billing?.email),
    held: heldParts(ctx, 'order', order.id, body),
    payment: paymentDisclosure(ctx, order),
    appointments: appointmentsFromOrder(ctx.policy, order, {
      timeZone: ctx.timeZone,
      defaultMinutes: ctx.sessionMinutes,
    }).map((a) => appointmentPart(ctx, a)),
  };
}

/**
 * One `data.held` fact per purpose and legal basis of the resource's fields, as a record of
 * processing is organised: its `categories` are every category of those fields, `detail` lists the
 * field paths, each category's retention rule and the special (Art. 9) categories, and the values
 * are encrypted. The key ends in a digest of the values, so an unchanged resource records nothing
 * and a changed field re-records only its purpose's fact.
 */
export function heldParts(ctx: PlanContext, resource: Resource, id: number, body: object): FactPart[] {
  // The modification time changes with every save; it says when, not what is held.
  const leaves = flatten(body).filter((l) => !l.path.startsWith('date_modified'));
  return groupByPolicy(ctx.policy, resource, leaves).map((g) => {
    const values = fieldsJson(g.fields);
    return {
      key: `${resource}-${id}/${g.purpose}/${g.legalBasis}/${ctx.fingerprint(new JsonText(values))}`,
      kind: 'data.held',
      purpose: g.purpose,
      legalBasis: g.legalBasis,
      categories: g.categories,
      source: `${resource}-${id}`,
      detail: canonicalJson({
        resource,
        id,
        fields: g.fields.map((f) => f.path),
        retention: g.retention,
        special: g.special,
      }),
      values,
    };
  });
}

/**
 * Payment data is a disclosure to the processor the policy names for the order's payment method
 * (method and transaction id, never card data); bank transfer and payment at the office name none,
 * so their orders record no disclosure. A method the policy does not list goes to `otherMethods`.
 */
export function paymentRecipient(policy: PlanContext['policy'], method: string | undefined): string | null {
  if (!method) return null;
  const listed = policy.payments.methods.find((m) => m.id === method);
  return listed ? listed.recipient : policy.payments.otherMethods;
}

function paymentDisclosure(ctx: PlanContext, order: WooOrder): FactPart | null {
  const processor = paymentRecipient(ctx.policy, order.payment_method);
  if (processor === null) return null;
  const values = canonicalJson({
    payment_method: order.payment_method ?? '',
    transaction_id: order.transaction_id ?? '',
  });
  return {
    key: `order-${order.id}/disclosure/${processor}/${ctx.fingerprint(new JsonText(values))}`,
    kind: 'disclosure.recorded',
    purpose: 'payment',
    legalBasis: 'contract',
    categories: ['payment'],
    source: `order-${order.id}`,
    detail: canonicalJson({ recipient: processor, orderId: order.id, paymentMethod: order.payment_method ?? '' }),
    values,
  };
}

export function appointmentPart(ctx: Pick<PlanContext, 'fingerprint'>, a: Appointment): FactPart {
  const values = canonicalJson(a as unknown as JsonObject);
  return {
    key: `${a.key}/${ctx.fingerprint(new JsonText(values))}`,
    kind: APPOINTMENT,
    purpose: 'booking',
    legalBasis: 'contract',
    categories: ['appointment'],
    source: a.key,
    detail: canonicalJson({ source: a.source, orderId: a.orderId }),
    values,
  };
}

/** The fact, for its subject; personal values travel on as `Sensitive`. Field by field: it runs for every fact of a backfill. */
export function withSubject(part: FactPart, subject: SubjectRef | null): Fact {
  return {
    key: part.key,
    kind: part.kind,
    subject,
    purpose: part.purpose,
    legalBasis: part.legalBasis,
    categories: part.categories,
    source: part.source,
    detail: new JsonText(part.detail),
    at: part.at,
    personal: part.values === undefined ? undefined : sensitive(new JsonText(part.values)),
  };
}

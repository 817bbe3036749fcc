import { z } from 'zod';

/** The topics we subscribe to; any other topic is acknowledged and ignored. */
export const TOPICS = [
  'order.created',
  'order.updated',
  'order.deleted',
  'order.restored',
  'customer.created',
  'customer.updated',
  'customer.deleted',
] as const;
export type Topic = (typeof TOPICS)[number];
export const isKnownTopic = (t: string): t is Topic => (TOPICS as readonly string[]).includes(t);

/** Of a delivery's body we keep only what identifies the change; the personal data is fetched, never queued. */
export const DeliveryRef = z.object({
  id: z.number().int().positive(),
  date_modified_gmt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/)
    .optional(),
});

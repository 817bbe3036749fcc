export { Delivery, deliverJob, deliveryJobs, DeliverPayload, type Builder, type Outgoing } from './delivery.js';

export { Delivery, deliverJob, deliveryJobs, redrive, DeliverPayload, type Builder, type Outgoing } from './delivery.js';
export { DeadLetters, deliveryMigrations, type DeadLetter } from './dead-letters.js';
export { deliveryModule } from './delivery.module.js';

export {
  Delivery,
  deliverJob,
  deliveryJobs,
  redrive,
  DeliverPayload,
  type Builder,
  type DeliveryDeps,
  type Outgoing,
} from './delivery.js';
export { DeadLetters, deliveryMigrations, type DeadLetter } from './dead-letters.js';
export { deliveryModule } from './delivery.module.js';
export { registerDeliveryCommands, type DeliveryCliDeps } from './delivery.cli.js';
export { deliveryBacklog, type DeliveryBacklog } from './backlog.js';

// Dead-letter queues: what could not be delivered or processed waits here (and raises an alarm).
import type { QueuePlan } from "./plan.js";

export const createQueue = (queue: QueuePlan): aws.sqs.Queue =>
  new aws.sqs.Queue(queue.logicalName, {
    messageRetentionSeconds: queue.retentionSeconds,
    sqsManagedSseEnabled: true,
    tags: { "allot:dlq": queue.id },
  });

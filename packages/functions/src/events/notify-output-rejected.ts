import { notifyOutputRejected } from "@allot/core/notification";
import { OutputRejected } from "@allot/core/output";
import { outputNotificationDeps } from "../lib/deps-outputs.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(OutputRejected, (data, { eventId }) =>
  notifyOutputRejected(outputNotificationDeps(), eventId, data),
);

import { notifyOutputVerified } from "@allot/core/notification";
import { OutputVerified } from "@allot/core/output";
import { outputNotificationDeps } from "../lib/deps-outputs.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(OutputVerified, (data, { eventId }) =>
  notifyOutputVerified(outputNotificationDeps(), eventId, data),
);

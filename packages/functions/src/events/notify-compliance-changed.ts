import { notifyComplianceChanged } from "@allot/core/notification";
import { ComplianceChanged } from "@allot/core/output";
import { outputNotificationDeps } from "../lib/deps-outputs.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ComplianceChanged, (data, { eventId }) =>
  notifyComplianceChanged(outputNotificationDeps(), eventId, data),
);

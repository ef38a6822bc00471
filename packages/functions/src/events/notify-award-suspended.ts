import { AwardSuspended } from "@allot/core/award";
import { notifyAwardSuspended } from "@allot/core/notification";
import { changeNotificationDeps } from "../lib/deps-changes.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardSuspended, (data, meta) =>
  notifyAwardSuspended(changeNotificationDeps(), meta, data),
);

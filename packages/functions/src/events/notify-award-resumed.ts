import { AwardResumed } from "@allot/core/award";
import { notifyAwardResumed } from "@allot/core/notification";
import { changeNotificationDeps } from "../lib/deps-changes.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardResumed, (data, meta) =>
  notifyAwardResumed(changeNotificationDeps(), meta, data),
);

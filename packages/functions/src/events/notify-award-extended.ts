import { AwardExtended } from "@allot/core/award";
import { notifyAwardExtended } from "@allot/core/notification";
import { changeNotificationDeps } from "../lib/deps-changes.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardExtended, (data, meta) =>
  notifyAwardExtended(changeNotificationDeps(), meta, data),
);

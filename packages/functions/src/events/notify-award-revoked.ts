import { AwardRevoked } from "@allot/core/award";
import { notifyAwardRevoked } from "@allot/core/notification";
import { changeNotificationDeps } from "../lib/deps-changes.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(AwardRevoked, (data, meta) =>
  notifyAwardRevoked(changeNotificationDeps(), meta, data),
);

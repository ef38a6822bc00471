import { BudgetCommitted } from "@allot/core/award";
import { notifyAwardToppedUp } from "@allot/core/notification";
import { changeNotificationDeps } from "../lib/deps-changes.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(BudgetCommitted, (data, meta) =>
  notifyAwardToppedUp(changeNotificationDeps(), meta, data),
);

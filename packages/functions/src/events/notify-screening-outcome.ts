import { notifyScreeningOutcome } from "@allot/core/notification";
import { ProposalScreened } from "@allot/core/proposal";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ProposalScreened, (data, { eventId }) =>
  notifyScreeningOutcome(notificationEventDeps(), eventId, data),
);

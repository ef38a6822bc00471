import { notifyProposalReceived } from "@allot/core/notification";
import { ProposalSubmitted } from "@allot/core/proposal";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(ProposalSubmitted, (data, { eventId }) =>
  notifyProposalReceived(notificationEventDeps(), eventId, data),
);

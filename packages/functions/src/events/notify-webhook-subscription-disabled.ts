import { notifyWebhookSubscriptionDisabled } from "@allot/core/notification";
import { WebhookSubscriptionDisabled } from "@allot/core/webhook";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { subscriptionDeps } from "../lib/deps-webhooks.js";
import { onEvent } from "../lib/event.js";

// The integration's contact is told once its client repository is wired here (clients:
// dynamoIntegrationClientRepository, branch i12-oauth); until then only staff are.
export const handler = onEvent(WebhookSubscriptionDisabled, (data, { eventId }) => {
  const { mail, staffEmail } = notificationEventDeps();
  return notifyWebhookSubscriptionDisabled(
    { mail, staffEmail, subscriptions: subscriptionDeps().subscriptions },
    eventId,
    data,
  );
});

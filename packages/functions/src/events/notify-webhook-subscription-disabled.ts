import { notifyWebhookSubscriptionDisabled } from "@allot/core/notification";
import { WebhookSubscriptionDisabled } from "@allot/core/webhook";
import { integrationClientDeps } from "../lib/deps-integrations.js";
import { notificationEventDeps } from "../lib/deps-notifications.js";
import { subscriptionDeps } from "../lib/deps-webhooks.js";
import { onEvent } from "../lib/event.js";

export const handler = onEvent(WebhookSubscriptionDisabled, (data, { eventId }) => {
  const { mail, staffEmail } = notificationEventDeps();
  return notifyWebhookSubscriptionDisabled(
    {
      mail,
      staffEmail,
      subscriptions: subscriptionDeps().subscriptions,
      clients: integrationClientDeps().clients,
    },
    eventId,
    data,
  );
});

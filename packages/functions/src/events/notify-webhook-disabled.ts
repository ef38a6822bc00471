import { dynamoIntegrationClientRepository, dynamoSubscriptionRepository } from "@allot/adapters";
import { notifyWebhookDisabled } from "@allot/core/notification";
import { WebhookSubscriptionDisabled } from "@allot/core/webhook";
import { doc, once, tableName } from "../lib/deps.js";
import { notificationDeps } from "../lib/deps-notifications.js";
import { onEvent } from "../lib/event.js";

const deps = once(() => ({
  mail: notificationDeps(),
  staffEmail: process.env.ALLOT_STAFF_EMAIL ?? "program-staff@allot.local",
  clients: dynamoIntegrationClientRepository(doc(), tableName()),
  subscriptions: dynamoSubscriptionRepository(doc(), tableName()),
}));

export const handler = onEvent(WebhookSubscriptionDisabled, (data, meta) =>
  notifyWebhookDisabled(deps(), meta.eventId, data),
);

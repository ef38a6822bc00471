import type { EventDataOf } from "../events/define.js";
import type { IntegrationClientRepository } from "../integration/index.js";
import type { WebhookSubscriptionDisabled } from "../webhook/events.js";
import type { SubscriptionRepository } from "../webhook/ports.js";
import { type NotifyDeps, notify } from "./commands.js";
import { draftNotification, type Recipient, staffMailbox } from "./schema.js";
import { webhookDisabledMessage } from "./templates.js";

export interface WebhookNotificationDeps {
  mail: NotifyDeps;
  staffEmail: string;
  clients: IntegrationClientRepository;
  subscriptions: SubscriptionRepository;
}

/**
 * A subscription disabled after a delivery exhausted its retries: its integration's contact (if
 * the client is known) and staff are told which subscription, the endpoint's host, the failing
 * status and how to resume. Never a secret, never a payload.
 */
export const notifyWebhookDisabled = async (
  deps: WebhookNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof WebhookSubscriptionDisabled>,
) => {
  const subscription = await deps.subscriptions.get(data.subscriptionId);
  const client = await deps.clients.get(data.ownerId);
  const message = webhookDisabledMessage({
    subscriptionId: data.subscriptionId,
    host: subscription ? new URL(subscription.url).host : "its endpoint",
    attempts: data.attempts,
    deliveryId: data.deliveryId,
    ...(data.lastStatus ? { lastStatus: data.lastStatus } : {}),
  });
  const recipients: Recipient[] = [
    ...(client ? [{ email: client.contactEmail, name: client.name }] : []),
    staffMailbox(deps),
  ];
  for (const recipient of recipients) {
    await notify(
      deps.mail,
      draftNotification({ cause: eventId, kind: "webhook-disabled", recipient, message }),
    );
  }
};

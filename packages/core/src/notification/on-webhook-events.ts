import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import type { IntegrationClientRepository } from "../integration/client.js";
import type { WebhookSubscriptionDisabled } from "../webhook/events.js";
import type { SubscriptionRepository } from "../webhook/ports.js";
import type { NotifyDeps } from "./commands.js";
import { notify } from "./commands.js";
import { draftNotification, type Recipient, staffMailbox } from "./schema.js";
import { webhookDisabledMessage } from "./webhook-templates.js";

export interface WebhookNotificationDeps {
  mail: NotifyDeps;
  staffEmail: string;
  subscriptions: Pick<SubscriptionRepository, "get">;
  /** The integration's contact; without it (or without the client) only staff are told. */
  clients?: Pick<IntegrationClientRepository, "get">;
}

/** The host of an endpoint URL: the notice names where, never the path or query (they may carry tokens). */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
};

/** Tells the integration's contact and staff that a subscription was disabled; no secret, no payload. */
export const notifyWebhookSubscriptionDisabled = async (
  deps: WebhookNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof WebhookSubscriptionDisabled>,
) => {
  const subscription = await deps.subscriptions.get(data.subscriptionId);
  if (!subscription) throw notFound(`Subscription ${data.subscriptionId}`);
  const message = webhookDisabledMessage({
    subscriptionId: data.subscriptionId,
    host: hostOf(subscription.url),
    attempts: data.attempts,
    lastStatus: data.lastStatus,
    deliveryId: data.deliveryId,
  });
  const client = await deps.clients?.get(data.ownerId);
  const recipients: Recipient[] = [
    ...(client ? [{ userId: client.clientId, email: client.contactEmail, name: client.name }] : []),
    staffMailbox(deps),
  ];
  for (const recipient of recipients) {
    await notify(
      deps.mail,
      draftNotification({ cause: eventId, kind: "webhook-subscription-disabled", recipient, message }),
    );
  }
};

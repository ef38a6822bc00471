import { compose, type MessageContent, SIGNATURE } from "./template-parts.js";

// The notice of a webhook subscription disabled after its deliveries kept failing. A function
// declaration: templates.ts imports it into its table (see consumption-templates.ts).

export interface WebhookDisabledInput {
  subscriptionId: string;
  /** The endpoint's host only: its path or query may carry a token. */
  host: string;
  attempts: number;
  lastStatus?: number;
  deliveryId: string;
}

export function webhookDisabledMessage(input: WebhookDisabledInput): MessageContent {
  const last =
    input.lastStatus === undefined
      ? "no response (a network error or a timeout)"
      : `HTTP ${input.lastStatus}`;
  return {
    subject: `Webhook subscription ${input.subscriptionId} disabled: deliveries to ${input.host} kept failing`,
    text: compose(
      `Deliveries of webhook subscription ${input.subscriptionId} to ${input.host} failed ${input.attempts} times in a row (the last answer: ${last}), so the subscription is disabled.`,
      `Events that match it meanwhile are held, not lost. The last failed delivery is ${input.deliveryId}: GET /webhooks/subscriptions/${input.subscriptionId}/deliveries/${input.deliveryId} shows its attempts.`,
      `Once the endpoint answers 2xx again, resume the subscription with POST /webhooks/subscriptions/${input.subscriptionId}/resume; the held deliveries then go out, oldest first.`,
      SIGNATURE,
    ),
  };
}

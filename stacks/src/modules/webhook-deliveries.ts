import { patternFor } from "@allot/core/events";
import { WebhookSubscriptionResumed } from "@allot/core/webhook";
import { WEBHOOK_DELIVER_FUNCTION } from "../env.js";
import { fn, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";

// Webhook deliveries: every subscription rule (created at run time by the subscriptions module)
// targets deliver-webhook; a sweep retries what is due; a resume releases what was held.

const webhooks: Link = { kind: "webhooks" };

export const webhookDeliveries: StackModule = {
  functions: [
    fn(
      WEBHOOK_DELIVER_FUNCTION,
      "events/deliver-webhook.ts",
      "Delivers one matching event to a subscription's endpoint, signed, and logs the attempt",
      [tableReadWrite, webhooks],
      { timeoutSeconds: 30 },
    ),
    fn(
      "retry-webhook-deliveries",
      "schedules/retry-webhook-deliveries.ts",
      "Attempts the webhook deliveries whose retry is due",
      [tableReadWrite, webhooks],
      { timeoutSeconds: 300 },
    ),
    fn(
      "release-held-deliveries",
      "events/release-held-deliveries.ts",
      "Sends a resumed subscription's held deliveries, oldest first",
      [tableReadWrite, webhooks],
      { timeoutSeconds: 300 },
    ),
  ],
  routes: [],
  rules: [
    {
      name: "release-held-deliveries",
      bus: bus.name,
      description: "A resumed subscription's held deliveries go out",
      pattern: patternFor(WebhookSubscriptionResumed),
      targets: [{ kind: "function", function: "release-held-deliveries", retry: defaultRetry }],
    },
  ],
  schedules: [
    {
      name: "retry-webhook-deliveries",
      description: "Webhook deliveries whose next attempt is due (backoff with jitter, Retry-After)",
      expression: "rate(1 minute)",
      function: "retry-webhook-deliveries",
      // The next minute's run does the same work: a failed run need not be retried for long.
      retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    },
  ],
};

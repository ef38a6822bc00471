import { patternFor } from "@allot/core/events";
import { WebhookSubscriptionResumed } from "@allot/core/webhook";
import { WEBHOOK_DELIVER_FUNCTION } from "../env.js";
import { fn, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";

// Webhook deliveries: the target of every subscription rule, and the sweep of due retries.

const webhooks: Link = { kind: "webhooks" };

export const webhookDeliveries: StackModule = {
  functions: [
    fn(
      WEBHOOK_DELIVER_FUNCTION,
      "webhooks/deliver-webhook.ts",
      "Delivers one matching event to one subscription: signed, sent, logged",
      [tableReadWrite, webhooks],
      { timeoutSeconds: 30 },
    ),
    fn(
      "retry-webhook-deliveries",
      "schedules/retry-webhook-deliveries.ts",
      "Every minute: attempts every due pending webhook delivery",
      [tableReadWrite, webhooks],
      { timeoutSeconds: 300 },
    ),
    fn(
      "release-held-deliveries",
      "events/release-held-deliveries.ts",
      "A resumed subscription's held deliveries become due, oldest first",
      [tableReadWrite, webhooks],
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
      description: "Webhook retries are due by the minute",
      expression: "rate(1 minute)",
      function: "retry-webhook-deliveries",
      retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    },
  ],
};

import { WEBHOOK_DELIVER_FUNCTION } from "../env.js";
import { fn, tableReadWrite } from "../links.js";
import type { Link } from "../topology.js";
import type { StackModule } from "./module.js";

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
  ],
  routes: [],
  rules: [],
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

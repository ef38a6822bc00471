import { patternFor } from "@allot/core/events";
import { WebhookSubscriptionDisabled, WebhookSubscriptionResumed } from "@allot/core/webhook";
import { WEBHOOK_DELIVER_FUNCTION } from "../env.js";
import { fn, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link, RouteSpec } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";
import { mailSend } from "./notifications.js";

// Webhook deliveries: the target of every subscription rule, and the sweep of due retries.

const webhooks: Link = { kind: "webhooks" };
const subscriptionRules: Link = { kind: "subscriptionRules" };
const managers = { roles: ["staff", "integration"], scopes: ["events:subscribe"] } satisfies Pick<
  RouteSpec,
  "roles" | "scopes"
>;
const one = "/webhooks/subscriptions/{subscriptionId}";

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
    fn("list-deliveries", "http/webhooks/list-deliveries.ts", "A subscription's delivery log, newest first", [
      tableRead,
    ]),
    fn("get-delivery", "http/webhooks/get-delivery.ts", "One delivery with its attempts", [tableRead]),
    fn(
      "redeliver-delivery",
      "http/webhooks/redeliver-delivery.ts",
      "Sends one delivery again now, same webhook-id",
      [tableReadWrite, webhooks],
      { timeoutSeconds: 30 },
    ),
    fn(
      "replay-subscription",
      "http/webhooks/replay-subscription.ts",
      "Replays a time range from the bus archive to one subscription",
      [tableRead, subscriptionRules],
    ),
    fn(
      "notify-webhook-disabled",
      "events/notify-webhook-disabled.ts",
      "Tells the integration's contact and staff a subscription was disabled",
      [tableReadWrite, mailSend],
    ),
    fn(
      "release-held-deliveries",
      "events/release-held-deliveries.ts",
      "A resumed subscription's held deliveries become due, oldest first",
      [tableReadWrite, webhooks],
    ),
  ],
  routes: [
    { method: "GET", path: `${one}/deliveries`, function: "list-deliveries", ...managers },
    { method: "GET", path: `${one}/deliveries/{deliveryId}`, function: "get-delivery", ...managers },
    {
      method: "POST",
      path: `${one}/deliveries/{deliveryId}/redeliver`,
      function: "redeliver-delivery",
      ...managers,
      idempotencyKey: "required",
    },
    {
      method: "POST",
      path: `${one}/replay`,
      function: "replay-subscription",
      ...managers,
      idempotencyKey: "required",
    },
  ],
  rules: [
    {
      name: "notify-webhook-disabled",
      bus: bus.name,
      description: "A disabled subscription's contact and staff are told",
      pattern: patternFor(WebhookSubscriptionDisabled),
      targets: [{ kind: "function", function: "notify-webhook-disabled", retry: defaultRetry }],
    },
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

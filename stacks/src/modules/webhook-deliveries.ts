import { patternFor } from "@allot/core/events";
import { WebhookSubscriptionResumed } from "@allot/core/webhook";
import { WEBHOOK_DELIVER_FUNCTION } from "../env.js";
import { fn, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import type { Link, RouteSpec } from "../topology.js";
import { defaultRetry, type StackModule } from "./module.js";

// Webhook deliveries: every subscription rule (created at run time by the subscriptions module)
// targets deliver-webhook; a sweep retries what is due; a resume releases what was held.

const webhooks: Link = { kind: "webhooks" };
const subscriptionRules: Link = { kind: "subscriptionRules" };
const managers = { roles: ["staff", "integration"], scopes: ["events:subscribe"] } satisfies Pick<
  RouteSpec,
  "roles" | "scopes"
>;
const deliveries = "/webhooks/subscriptions/{subscriptionId}/deliveries";
const one = `${deliveries}/{deliveryId}`;

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
    fn(
      "list-deliveries",
      "http/webhook-deliveries/list-deliveries.ts",
      "A subscription's deliveries, newest first",
      [tableRead],
    ),
    fn("get-delivery", "http/webhook-deliveries/get-delivery.ts", "One delivery with its logged attempts", [
      tableRead,
    ]),
    fn(
      "redeliver-webhook",
      "http/webhook-deliveries/redeliver.ts",
      "Sends a delivery again now, with the same webhook-id",
      [tableReadWrite, webhooks],
      // Under API Gateway's 30 s, with room for the sender's 10 s timeout.
      { timeoutSeconds: 25 },
    ),
    fn(
      "replay-webhook-events",
      "http/webhook-deliveries/replay.ts",
      "Replays the bus archive's events of a time range to one subscription only",
      [tableReadWrite, subscriptionRules],
    ),
  ],
  routes: [
    { method: "GET", path: deliveries, function: "list-deliveries", ...managers },
    { method: "GET", path: one, function: "get-delivery", ...managers },
    {
      method: "POST",
      path: `${one}/redeliver`,
      function: "redeliver-webhook",
      ...managers,
      idempotencyKey: "required",
    },
    {
      method: "POST",
      path: "/webhooks/subscriptions/{subscriptionId}/replay",
      function: "replay-webhook-events",
      ...managers,
      idempotencyKey: "required",
    },
  ],
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

import type { Link, RouteSpec } from "../topology.js";
import { fn, tableRead, tableReadWrite } from "../links.js";
import type { StackModule } from "./module.js";

// Webhook subscriptions: integrations (or staff on their behalf) manage their own. Writers put
// and delete the subscription's rule on the bus and test patterns with the bus's matcher.

const subscriptionRules: Link = { kind: "subscriptionRules" };
const webhooks: Link = { kind: "webhooks" };
const managers = { roles: ["staff", "integration"], scopes: ["events:subscribe"] } satisfies Pick<
  RouteSpec,
  "roles" | "scopes"
>;
const base = "/webhooks/subscriptions";
const one = `${base}/{subscriptionId}`;

export const webhookSubscriptions: StackModule = {
  functions: [
    fn(
      "create-subscription",
      "http/webhooks/create-subscription.ts",
      "Subscribe an endpoint to the events a pattern matches; its secret is shown once",
      [tableReadWrite, subscriptionRules, webhooks],
    ),
    fn("list-subscriptions", "http/webhooks/list-subscriptions.ts", "List webhook subscriptions, newest first", [
      tableRead,
    ]),
    fn("get-subscription", "http/webhooks/get-subscription.ts", "Read one webhook subscription", [tableRead]),
    fn(
      "update-subscription",
      "http/webhooks/update-subscription.ts",
      "Change a subscription's endpoint, pattern or description",
      [tableReadWrite, subscriptionRules, webhooks],
    ),
    fn(
      "delete-subscription",
      "http/webhooks/delete-subscription.ts",
      "End a subscription: its rule goes, its record and delivery log stay",
      [tableReadWrite, subscriptionRules],
    ),
    fn("pause-subscription", "http/webhooks/pause-subscription.ts", "Pause a subscription's deliveries", [
      tableReadWrite,
    ]),
    fn(
      "resume-subscription",
      "http/webhooks/resume-subscription.ts",
      "Resume a paused or disabled subscription; held deliveries go out",
      [tableReadWrite],
    ),
    fn(
      "rotate-subscription-secret",
      "http/webhooks/rotate-subscription-secret.ts",
      "A new signing secret; the previous one keeps signing for the overlap",
      [tableReadWrite],
    ),
  ],
  routes: [
    { method: "POST", path: base, function: "create-subscription", ...managers, idempotencyKey: "required" },
    { method: "GET", path: base, function: "list-subscriptions", ...managers },
    { method: "GET", path: one, function: "get-subscription", ...managers },
    { method: "PATCH", path: one, function: "update-subscription", ...managers },
    { method: "DELETE", path: one, function: "delete-subscription", ...managers },
    { method: "POST", path: `${one}/pause`, function: "pause-subscription", ...managers },
    { method: "POST", path: `${one}/resume`, function: "resume-subscription", ...managers },
    // A rotation answers its secret once: the key makes a retry get that answer, not a third secret.
    {
      method: "POST",
      path: `${one}/secret/rotate`,
      function: "rotate-subscription-secret",
      ...managers,
      idempotencyKey: "required",
    },
  ],
  rules: [],
};

// What the webhook subscriptions need on AWS besides their grants: EventBridge may invoke the
// delivery function from the subscription rules the API creates at run time (prefix-scoped).
import type { WebhooksPlan } from "./plan.js";
import type { Resolver } from "./resolve.js";

export const createWebhookPermission = (webhooks: WebhooksPlan, resolve: Resolver) =>
  new aws.lambda.Permission(webhooks.permission.logicalName, {
    action: "lambda:InvokeFunction",
    function: resolve.arn({ kind: "function", function: webhooks.permission.function }),
    principal: webhooks.permission.principal,
    sourceArn: resolve.arn(webhooks.permission.sourceArn),
  });

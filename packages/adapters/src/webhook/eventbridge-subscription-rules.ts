import type { SubscriptionRules } from "@allot/core/webhook";
import {
  DeleteRuleCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";

// A subscription is a rule on the bus whose one target is the delivery function. The target's
// InputTransformer wraps the whole event with the subscription id, so the function knows whom
// to deliver to without a lookup by rule; the retry policy keeps an event for the 24 hours the
// delivery function may be unavailable (EventBridge's own maximums).

export const DELIVER_TARGET_ID = "deliver";

/** The delivery function's input for a subscription: `{"subscriptionId", "event": <the envelope>}`. */
export const deliverInputTemplate = (subscriptionId: string) =>
  `{"subscriptionId":"${subscriptionId}","event":<aws.events.event.json>}`;

const isNotFound = (error: unknown) => (error as { name?: string } | null)?.name === "ResourceNotFoundException";

export const eventBridgeSubscriptionRules = (
  client: EventBridgeClient,
  config: { busName: string; deliverFunctionArn: string },
): SubscriptionRules => ({
  async put(ruleName, subscriptionId, pattern, enabled) {
    await client.send(
      new PutRuleCommand({
        Name: ruleName,
        EventBusName: config.busName,
        EventPattern: JSON.stringify(pattern),
        State: enabled ? "ENABLED" : "DISABLED",
        Description: `Webhook subscription ${subscriptionId}`,
      }),
    );
    const result = await client.send(
      new PutTargetsCommand({
        Rule: ruleName,
        EventBusName: config.busName,
        Targets: [
          {
            Id: DELIVER_TARGET_ID,
            Arn: config.deliverFunctionArn,
            InputTransformer: { InputPathsMap: {}, InputTemplate: deliverInputTemplate(subscriptionId) },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          },
        ],
      }),
    );
    // PutTargets answers 200 with per-target failures: a rule without its target delivers nothing.
    if (result.FailedEntryCount) {
      const failure = result.FailedEntries?.[0];
      throw new Error(`PutTargets on ${ruleName} failed: ${failure?.ErrorCode}: ${failure?.ErrorMessage}`);
    }
  },

  async delete(ruleName) {
    try {
      await client.send(
        new RemoveTargetsCommand({ Rule: ruleName, EventBusName: config.busName, Ids: [DELIVER_TARGET_ID] }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    try {
      await client.send(new DeleteRuleCommand({ Name: ruleName, EventBusName: config.busName }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});

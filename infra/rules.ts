// EventBridge rules on the custom bus: pattern → function targets, each with the retry policy
// from stacks/, a dead-letter queue for what cannot be delivered, and the invoke permission.
import type { RulePlan } from "./plan.js";
import type { Resolver } from "./resolve.js";

export const createRule = (rule: RulePlan, resolve: Resolver) => {
  const busName = resolve.name({ kind: "bus", bus: rule.bus });
  const created = new aws.cloudwatch.EventRule(rule.logicalName, {
    name: rule.physicalName,
    description: rule.description,
    eventBusName: busName,
    eventPattern: JSON.stringify(rule.pattern),
  });

  for (const target of rule.targets) {
    const functionArn = resolve.arn({ kind: "function", function: target.function });
    const dlq = { kind: "queue", queue: target.deadLetterQueue } as const;

    const permission = new aws.lambda.Permission(`${target.logicalName}Permission`, {
      action: "lambda:InvokeFunction",
      function: functionArn,
      principal: "events.amazonaws.com",
      sourceArn: created.arn,
    });

    // Only this rule may drop its undeliverable events into this queue.
    new aws.sqs.QueuePolicy(`${target.logicalName}DlqPolicy`, {
      queueUrl: resolve.queueUrl(target.deadLetterQueue),
      policy: $jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: resolve.arn(dlq),
            Condition: { ArnEquals: { "aws:SourceArn": created.arn } },
          },
        ],
      }),
    });

    new aws.cloudwatch.EventTarget(
      target.logicalName,
      {
        rule: created.name,
        eventBusName: busName,
        targetId: target.targetId,
        arn: functionArn,
        retryPolicy: {
          maximumRetryAttempts: target.retry.maximumRetryAttempts,
          maximumEventAgeInSeconds: target.retry.maximumEventAgeSeconds,
        },
        deadLetterConfig: { arn: resolve.arn(dlq) },
      },
      { dependsOn: [permission] },
    );
  }
  return created;
};

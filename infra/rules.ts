// EventBridge rules: pattern rules on the custom bus and scheduled rules on the default bus,
// each function target with the retry policy from stacks/, a dead-letter queue for what cannot
// be delivered, and the invoke permission.
//
// Schedules are scheduled rules rather than EventBridge Scheduler schedules: their targets get
// the same "Scheduled Event" the local runtime sends, with the same RetryPolicy and DLQ wiring
// as every other rule, and no execution role to manage; Scheduler's strengths (one-off times,
// time zones, millions of schedules) are not needed for a handful of fixed UTC clocks.
import type { RulePlan, RuleTargetPlan, ScheduledRulePlan } from "./plan.js";
import type { Resolver } from "./resolve.js";

/** The account's default bus: the only one scheduled rules can live on. */
const DEFAULT_BUS = "default";

const createTargets = (
  rule: aws.cloudwatch.EventRule,
  busName: $util.Input<string>,
  targets: RuleTargetPlan[],
  resolve: Resolver,
) => {
  for (const target of targets) {
    const functionArn = resolve.arn({ kind: "function", function: target.function });
    const dlq = { kind: "queue", queue: target.deadLetterQueue } as const;

    const permission = new aws.lambda.Permission(`${target.logicalName}Permission`, {
      action: "lambda:InvokeFunction",
      function: functionArn,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
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
            Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
          },
        ],
      }),
    });

    new aws.cloudwatch.EventTarget(
      target.logicalName,
      {
        rule: rule.name,
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
};

export const createRule = (rule: RulePlan, resolve: Resolver) => {
  const busName = resolve.name({ kind: "bus", bus: rule.bus });
  const created = new aws.cloudwatch.EventRule(rule.logicalName, {
    name: rule.physicalName,
    description: rule.description,
    eventBusName: busName,
    eventPattern: JSON.stringify(rule.pattern),
  });
  createTargets(created, busName, rule.targets, resolve);
  return created;
};

export const createScheduledRule = (schedule: ScheduledRulePlan, resolve: Resolver) => {
  const created = new aws.cloudwatch.EventRule(schedule.logicalName, {
    name: schedule.physicalName,
    description: schedule.description,
    eventBusName: DEFAULT_BUS,
    scheduleExpression: schedule.scheduleExpression,
  });
  createTargets(created, DEFAULT_BUS, schedule.targets, resolve);
  return created;
};

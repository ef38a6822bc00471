// CloudWatch alarms: any dead letter, any failed or timed-out execution. They notify one SNS
// topic per stage; subscribe your on-call address or chat integration to it.
import type { AlarmPlan } from "./plan.js";
import type { Resolver } from "./resolve.js";

export const createAlarmTopic = () => new aws.sns.Topic("Alarms", {});

export const createAlarm = (alarm: AlarmPlan, topic: aws.sns.Topic, resolve: Resolver) =>
  new aws.cloudwatch.MetricAlarm(alarm.logicalName, {
    alarmDescription: alarm.description,
    namespace: alarm.namespace,
    metricName: alarm.metricName,
    dimensions: { [alarm.dimension.name]: resolve.value(alarm.dimension.value) },
    statistic: alarm.statistic,
    period: alarm.periodSeconds,
    evaluationPeriods: alarm.evaluationPeriods,
    threshold: alarm.threshold,
    comparisonOperator: alarm.comparison,
    treatMissingData: alarm.treatMissingData,
    alarmActions: [topic.arn],
    okActions: [topic.arn],
  });

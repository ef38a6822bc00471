// CloudWatch alarms (planned in infra/plan/alarms.ts), all on one SNS topic per stage, which
// mails the stage's AlarmEmail secret (an on-call list; AWS asks it to confirm once). Subscribe
// chat or paging integrations to the same topic. Plus one dashboard per stage.
import { BUSINESS_METRICS } from "@allot/stacks/metrics";
import type { AlarmPlan, AlarmTopicPlan, Plan } from "./plan.js";
import type { Resolver } from "./resolve.js";

type Output<T> = $util.Output<T>;

export const createAlarmTopic = (plan: AlarmTopicPlan) => {
  const topic = new aws.sns.Topic(plan.logicalName, { name: plan.physicalName });
  const email = new sst.Secret(plan.emailSecret);
  new aws.sns.TopicSubscription(`${plan.logicalName}Email`, {
    topic: topic.arn,
    protocol: "email",
    endpoint: email.value,
  });
  return topic;
};

const dimensionValue = (alarm: AlarmPlan, resolve: Resolver, apiId: Output<string>) =>
  "api" in alarm.dimension.value ? apiId : resolve.value(alarm.dimension.value);

export const createAlarm = (
  alarm: AlarmPlan,
  topic: aws.sns.Topic,
  resolve: Resolver,
  apiId: Output<string>,
) =>
  new aws.cloudwatch.MetricAlarm(alarm.logicalName, {
    alarmDescription: alarm.description,
    namespace: alarm.namespace,
    metricName: alarm.metricName,
    dimensions: { [alarm.dimension.name]: dimensionValue(alarm, resolve, apiId) },
    // Percentiles are CloudWatch's "extended" statistics, set in their own field.
    ...(alarm.statistic === "p99" ? { extendedStatistic: alarm.statistic } : { statistic: alarm.statistic }),
    period: alarm.periodSeconds,
    evaluationPeriods: alarm.evaluationPeriods,
    threshold: alarm.threshold,
    comparisonOperator: alarm.comparison,
    treatMissingData: alarm.treatMissingData,
    alarmActions: [topic.arn],
    okActions: [topic.arn],
  });

const metricWidget = (title: string, metrics: unknown[][], region: string, stat = "Sum") => ({
  type: "metric",
  width: 12,
  height: 6,
  properties: { title, metrics, stat, period: 300, region, view: "timeSeries" },
});

/** One page: the API, the functions' errors and throttles, the business metrics. */
export const createDashboard = (plan: Plan, apiId: Output<string>) => {
  const { dashboard, functions } = plan;
  const region = aws.getRegionOutput().region;
  const namespace = functions[0]?.telemetry.metricsNamespace ?? `${plan.app}/${plan.stage}`;
  const body = $resolve({ apiId, region }).apply(({ apiId, region }) =>
    JSON.stringify({
      widgets: [
        metricWidget("HTTP API 5xx rate", [["AWS/ApiGateway", "5xx", "ApiId", apiId]], region, "Average"),
        metricWidget(
          "HTTP API p99 latency (ms)",
          [["AWS/ApiGateway", "Latency", "ApiId", apiId]],
          region,
          "p99",
        ),
        metricWidget(
          "Function errors",
          functions.map((fn) => ["AWS/Lambda", "Errors", "FunctionName", fn.physicalName]),
          region,
        ),
        metricWidget(
          "Function throttles",
          functions.map((fn) => ["AWS/Lambda", "Throttles", "FunctionName", fn.physicalName]),
          region,
        ),
        metricWidget(
          "Business metrics",
          // Emitted with the service (function) dimension; SEARCH sums them over the functions.
          Object.values(BUSINESS_METRICS).map((name, i) => [
            {
              expression: `SUM(SEARCH('{"${namespace}",service} MetricName="${name}"', 'Sum', 300))`,
              label: name,
              id: `b${i}`,
            },
          ]),
          region,
        ),
      ],
    }),
  );
  return new aws.cloudwatch.Dashboard(dashboard.logicalName, {
    dashboardName: dashboard.name,
    dashboardBody: body,
  });
};

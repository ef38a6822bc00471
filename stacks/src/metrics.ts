// The business metrics the functions publish (packages/functions/src/lib/metrics.ts), in the
// stage's CloudWatch namespace, with the function's name as the `service` dimension. Declared here,
// with the topology, so the dashboard (infra/) and the emitters share one list.

export const BUSINESS_METRICS = {
  /** A proposal went from draft to submitted. */
  proposalSubmitted: "ProposalsSubmitted",
  /** An award's budget was committed (cash and credits taken from the program's pools). */
  awardCommitted: "AwardsCommitted",
  /** Usage records accepted into a credit account (duplicates are not counted twice). */
  usageAccepted: "UsageRecordsAccepted",
  /** Usage records refused (invalid, unknown award, over what the batch may carry). */
  usageRejected: "UsageRecordsRejected",
  /** A webhook delivery attempt that failed (issue 12's deliver-webhook function). */
  webhookDeliveryFailed: "WebhookDeliveriesFailed",
} as const;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;

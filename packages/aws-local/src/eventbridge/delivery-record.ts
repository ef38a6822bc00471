import { retentionExpiry } from "./archive.js";
import { targetInput } from "./input.js";
import { DUE_PARTITION, deliveryIdOf, deliveryKey, dueSk } from "./keys.js";
import { type RuleTarget, targetLabel } from "./targets.js";
import type { DeliveryRecord, EventEnvelope } from "./types.js";

// A delivery's record as it is made (for an event and a rule's target), as its target receives
// it, and as it is written once it succeeded; deliveries.ts stores it.

export const newDelivery = (params: {
  envelope: EventEnvelope;
  bus: string;
  rule: string;
  targetIndex: number;
  target: RuleTarget;
  retentionDays: number;
  now: number;
  replayName?: string;
  /** The rule's ARN, for an input transformer's <aws.events.rule-arn>. */
  ruleArn?: string;
  /** When the bus received the event (default now), for <aws.events.event.ingestion-time>. */
  receivedAt?: number;
}): DeliveryRecord => {
  const key = deliveryKey(params.envelope.id, params.rule, params.targetIndex, params.replayName);
  const { target } = params;
  return {
    ...key,
    kind: "eb-delivery",
    deliveryId: deliveryIdOf(key),
    eventId: params.envelope.id,
    bus: params.bus,
    rule: params.rule,
    targetIndex: params.targetIndex,
    function: targetLabel(target),
    maximumRetryAttempts: target.retry.maximumRetryAttempts,
    maximumEventAgeSeconds: target.retry.maximumEventAgeSeconds,
    event: JSON.stringify(params.envelope),
    // The input's recipe, not its text: a transformed input may repeat the whole event, and a
    // delivery item must stay within DynamoDB's 400 KB. The text is made at each attempt from
    // the stored event, so that a retry or re-drive sends what the first attempt sent.
    ...(target.input
      ? { input: target.input, ruleArn: params.ruleArn ?? "", receivedAt: params.receivedAt ?? params.now }
      : {}),
    ...(target.kind === "http"
      ? { destination: target.destination, ...(target.http ? { http: target.http } : {}) }
      : {}),
    ...(params.replayName ? { replayName: params.replayName } : {}),
    status: "pending",
    attempts: 0,
    cycle: 1,
    firstAt: params.now,
    dueAt: params.now,
    retentionDays: params.retentionDays,
    gsi1pk: DUE_PARTITION,
    gsi1sk: dueSk(params.now, key),
  };
};

/** The text the target receives when its input is transformed; undefined when it gets the event itself. */
export const transformedInput = (record: DeliveryRecord): string | undefined =>
  record.input
    ? targetInput(record.input, JSON.parse(record.event) as EventEnvelope, {
        ruleArn: record.ruleArn ?? "",
        ruleName: record.rule,
        receivedAt: record.receivedAt ?? record.firstAt,
      })
    : undefined;

/** The whole item of a delivery that succeeded, to be written over it unconditionally. */
export const deliveredItem = (record: DeliveryRecord, now: number): DeliveryRecord => {
  const { gsi1pk: _pk, gsi1sk: _sk, leaseOwner: _owner, leaseUntil: _until, ...rest } = record;
  const expiresAt = retentionExpiry(record.retentionDays ?? 0, now);
  return { ...rest, status: "delivered", deliveredAt: now, ...(expiresAt ? { expiresAt } : {}) };
};

import { createHash, randomUUID } from "node:crypto";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { resourceNotFound } from "../edge/errors.js";
import type { Logger } from "../logger.js";
import type { Scheduler } from "../stepfunctions/timers.js";
import type { Registry, ScheduledRule } from "./bus.js";
import { isConditionFailure } from "./deliveries.js";
import { newDelivery } from "./delivery-record.js";
import { eventTime } from "./envelope.js";
import { SCHEDULE_PARTITION } from "./keys.js";
import type { DeliveryRecord, EventEnvelope } from "./types.js";
import type { Work } from "./work.js";

// Scheduled rules fire from a durable timer: one item per rule (pk EB#SCHEDULE, sk its name)
// holds the next period's time. A period fires in one transaction that moves that time on
// (on condition that it is still the period's) and writes the deliveries of a "Scheduled Event"
// whose id derives from the rule and the period: a restart, or a second instance, can never
// fire one period twice. Periods missed while nothing ran fire once, on start, as the latest of them.

interface ScheduleState {
  pk: string;
  sk: string;
  kind: "eb-schedule";
  expression: string;
  /** Where a rate counts from: when this expression was first seen. */
  anchor: number;
  /** The next period to fire, epoch ms; absent once a cron has no more. */
  nextAt?: number;
  lastFiredAt?: number;
}

export interface SchedulesOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  registry: Registry;
  logger: Logger;
  now: () => number;
  scheduler: Scheduler;
  assertWritable(): void;
  deliver(work: Work[]): void;
}

/** A UUID-shaped id that is the same for the same rule and period. */
const periodEventId = (ruleArn: string, periodAt: number) => {
  const hex = createHash("sha256").update(`${ruleArn}#${periodAt}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export class Schedules {
  private readonly cancels = new Map<string, () => void>();
  private stopped = true;

  constructor(private readonly options: SchedulesOptions) {}

  /** Fires what is overdue (once per rule) and arms each rule's timer. */
  async start() {
    this.stopped = false;
    for (const rule of this.options.registry.schedules.values()) {
      const state = await this.load(rule);
      await this.fireIfDue(rule, state);
    }
  }

  stop() {
    this.stopped = true;
    for (const cancel of this.cancels.values()) cancel();
    this.cancels.clear();
  }

  /** Fires the rule's targets now, outside its periods (an operator's or a test's "run it now"). */
  async runNow(name: string): Promise<{ eventId: string; deliveries: number }> {
    this.options.assertWritable();
    const rule = this.options.registry.schedules.get(name);
    if (!rule) throw resourceNotFound(`Rule ${name} is not a scheduled rule of this stack.`);
    const envelope = this.envelope(rule, randomUUID(), this.options.now());
    const deliveries = this.deliveries(rule, envelope);
    await this.options.doc.send(
      new TransactWriteCommand({
        TransactItems: deliveries.map((item) => ({ Put: { TableName: this.options.tableName, Item: item } })),
      }),
    );
    this.options.deliver(deliveries.map(({ pk, sk }) => ({ pk, sk })));
    return { eventId: envelope.id, deliveries: deliveries.length };
  }

  private async load(rule: ScheduledRule): Promise<ScheduleState> {
    const { doc, tableName, now } = this.options;
    const key = { pk: SCHEDULE_PARTITION, sk: rule.spec.name };
    const found = (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })))
      .Item as ScheduleState | undefined;
    if (found && found.expression === rule.schedule.expression) return found;
    // First start, or the expression changed: the clock starts now, as for a new rule on AWS.
    const anchor = now();
    const nextAt = rule.schedule.nextAfter(anchor, anchor);
    const state: ScheduleState = {
      ...key,
      kind: "eb-schedule",
      expression: rule.schedule.expression,
      anchor,
      ...(nextAt !== undefined ? { nextAt } : {}),
    };
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: state,
          ...(found
            ? {
                ConditionExpression: "#expression = :old",
                ExpressionAttributeNames: { "#expression": "expression" },
                ExpressionAttributeValues: { ":old": found.expression },
              }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        }),
      );
      return state;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.load(rule);
    }
  }

  private async fireIfDue(rule: ScheduledRule, state: ScheduleState): Promise<void> {
    if (this.stopped || state.nextAt === undefined) return;
    const due = state.nextAt;
    const now = this.options.now();
    if (due > now) {
      this.arm(rule, due);
      return;
    }
    // Late (a restart, a busy process): one firing stands for every period missed, stamped with
    // the latest of them, and the next one is in the future.
    let period = due;
    for (let next = rule.schedule.nextAfter(period, state.anchor); next !== undefined && next <= now; ) {
      period = next;
      next = rule.schedule.nextAfter(period, state.anchor);
    }
    const nextAt = rule.schedule.nextAfter(Math.max(period, now), state.anchor);
    const envelope = this.envelope(rule, periodEventId(rule.arn, period), period);
    const deliveries = this.deliveries(rule, envelope);
    const { tableName } = this.options;
    try {
      this.options.assertWritable();
      await this.options.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: { pk: state.pk, sk: state.sk },
                UpdateExpression:
                  nextAt === undefined
                    ? "SET lastFiredAt = :due REMOVE nextAt"
                    : "SET lastFiredAt = :due, nextAt = :next",
                ConditionExpression: "nextAt = :due",
                ExpressionAttributeValues: {
                  ":due": due,
                  ...(nextAt !== undefined ? { ":next": nextAt } : {}),
                },
              },
            },
            ...deliveries.map((item) => ({
              Put: { TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" },
            })),
          ],
        }),
      );
      this.options.deliver(deliveries.map(({ pk, sk }) => ({ pk, sk })));
      this.options.logger.info("eventbridge schedule fired", {
        rule: rule.spec.name,
        period: eventTime(period),
      });
    } catch (error) {
      if (this.stopped) return;
      if (!isConditionFailure(error)) {
        // DynamoDB trouble: try the same period again shortly rather than lose it.
        this.options.logger.error("eventbridge schedule could not fire", {
          rule: rule.spec.name,
          error: String(error),
        });
        this.arm(rule, this.options.now() + 5_000, state);
        return;
      }
      // Someone else fired this period: carry on from what they wrote.
    }
    await this.fireIfDue(rule, await this.load(rule));
  }

  private arm(rule: ScheduledRule, at: number, state?: ScheduleState) {
    this.cancels.get(rule.spec.name)?.();
    const cancel = this.options.scheduler.at(at, () => {
      this.cancels.delete(rule.spec.name);
      void (async () => {
        try {
          await this.fireIfDue(rule, state ?? (await this.load(rule)));
        } catch (error) {
          if (this.stopped) return;
          this.options.logger.error("eventbridge schedule failed", {
            rule: rule.spec.name,
            error: String(error),
          });
          this.arm(rule, this.options.now() + 5_000);
        }
      })();
    });
    this.cancels.set(rule.spec.name, cancel);
  }

  /** The event AWS sends a scheduled rule's targets. */
  private envelope(rule: ScheduledRule, id: string, at: number): EventEnvelope {
    return {
      version: "0",
      id,
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: this.options.registry.accountId,
      time: eventTime(at),
      region: this.options.registry.region,
      resources: [rule.arn],
      detail: {},
    };
  }

  private deliveries(rule: ScheduledRule, envelope: EventEnvelope): DeliveryRecord[] {
    // Delivery timing is the dispatcher's, on the real clock, whatever clock the periods follow.
    const now = Date.now();
    return rule.spec.targets.map((target, targetIndex) =>
      newDelivery({
        envelope,
        bus: rule.spec.bus,
        rule: rule.spec.name,
        targetIndex,
        target,
        retentionDays: 0,
        now,
      }),
    );
  }
}

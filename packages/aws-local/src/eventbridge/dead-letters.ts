import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Logger } from "../logger.js";
import { isConditionFailure } from "./deliveries.js";
import { DLQ_PARTITION, DUE_PARTITION, dueSk, type ItemKey } from "./keys.js";
import { mapLimit } from "./limit.js";
import type { DeadLetter, DeliveryError, EventEnvelope } from "./types.js";

interface DeadLetterItem {
  id: string;
  deliveryPk: string;
  deliverySk: string;
  deliveryId: string;
  eventId: string;
  bus: string;
  rule: string;
  function: string;
  event: string;
  error: DeliveryError;
  attempts: number;
  cycle: number;
  failedAt: number;
  status: "dead" | "redriven";
  redrivenAt?: number;
  replayName?: string;
}

const toDeadLetter = (item: DeadLetterItem): DeadLetter => ({
  id: item.id,
  deliveryId: item.deliveryId,
  eventId: item.eventId,
  bus: item.bus,
  rule: item.rule,
  function: item.function,
  event: JSON.parse(item.event) as EventEnvelope,
  error: item.error,
  attempts: item.attempts,
  cycle: item.cycle,
  failedAt: new Date(item.failedAt).toISOString(),
  status: item.status,
  ...(item.redrivenAt ? { redrivenAt: new Date(item.redrivenAt).toISOString() } : {}),
  ...(item.replayName ? { replayName: item.replayName } : {}),
});

// Dead letters are never deleted: a re-drive marks the letter "redriven" and starts a new
// delivery cycle; if that cycle fails too, it files a new letter.
export class DeadLetters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly logger: Logger,
  ) {}

  private async items(): Promise<DeadLetterItem[]> {
    const items: DeadLetterItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": DLQ_PARTITION },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((page.Items ?? []) as DeadLetterItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Oldest first; only letters still dead unless `includeRedriven`. */
  async list(options: { includeRedriven?: boolean } = {}): Promise<DeadLetter[]> {
    const items = await this.items();
    return items.filter((item) => options.includeRedriven || item.status === "dead").map(toDeadLetter);
  }

  /** Re-drives the given letters (all dead ones when no ids); returns the keys of the revived deliveries. */
  async redrive(ids?: string[]): Promise<ItemKey[]> {
    const dead = (await this.items()).filter((item) => item.status === "dead");
    let chosen = dead;
    if (ids) {
      const wanted = new Set(ids);
      chosen = dead.filter((item) => wanted.has(item.id));
      const missing = ids.filter((id) => !chosen.some((item) => item.id === id));
      if (missing.length > 0)
        this.logger.warn("eventbridge dead letters not found or not dead", { ids: missing });
    }
    const now = Date.now();
    const revived = await mapLimit(chosen, 8, (item) => this.redriveOne(item, now));
    return revived.filter((key): key is ItemKey => key !== undefined);
  }

  private async redriveOne(item: DeadLetterItem, now: number): Promise<ItemKey | undefined> {
    const key = { pk: item.deliveryPk, sk: item.deliverySk };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: DLQ_PARTITION, sk: item.id },
                UpdateExpression: "SET #status = :redriven, redrivenAt = :now",
                ConditionExpression: "#status = :dead",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: { ":redriven": "redriven", ":now": now, ":dead": "dead" },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: key,
                UpdateExpression:
                  "SET #status = :pending, attempts = :zero, #cycle = #cycle + :one, firstAt = :now, dueAt = :now, gsi1pk = :due, gsi1sk = :gsk REMOVE deadAt",
                ConditionExpression: "#status = :dead AND #cycle = :cycle",
                ExpressionAttributeNames: { "#status": "status", "#cycle": "cycle" },
                ExpressionAttributeValues: {
                  ":pending": "pending",
                  ":zero": 0,
                  ":one": 1,
                  ":now": now,
                  ":due": DUE_PARTITION,
                  ":gsk": dueSk(now, key),
                  ":dead": "dead",
                  ":cycle": item.cycle,
                },
              },
            },
          ],
        }),
      );
      return key;
    } catch (error) {
      // Someone re-drove it first.
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

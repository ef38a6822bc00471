import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Bus } from "./bus.js";
import { archiveDay, archivePk } from "./keys.js";
import type { EventEnvelope } from "./types.js";

const DAY_MS = 86_400_000;

/** TTL in epoch seconds for something kept as long as the bus keeps its archive (0 = forever). */
export const retentionExpiry = (retentionDays: number, from: number) =>
  retentionDays > 0 ? Math.floor(from / 1000) + retentionDays * 86_400 : undefined;

export interface ArchivedEvent {
  receivedAt: number;
  event: EventEnvelope;
}

/** Archived events of a bus received in [from, to], oldest first, one day partition at a time. */
export async function* readArchive(
  doc: DynamoDBDocumentClient,
  tableName: string,
  bus: Bus,
  from: number,
  to: number,
  now: number,
): AsyncGenerator<ArchivedEvent> {
  const lower = new Date(from).toISOString();
  const upper = `${new Date(to).toISOString()}#\uffff`;
  // DynamoDB removes expired items lazily (within days on AWS), so expiry is checked here too.
  const nowSeconds = Math.floor(now / 1000);
  for (let day = Date.parse(archiveDay(from)); day <= to; day += DAY_MS) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :lower AND :upper",
          ExpressionAttributeValues: {
            ":pk": archivePk(bus.name, archiveDay(day)),
            ":lower": lower,
            ":upper": upper,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.expiresAt === "number" && item.expiresAt <= nowSeconds) continue;
        const receivedAt = item.receivedAt as number;
        // A batch holds the events of one PutEvents call (archive-batch.ts); older items hold one.
        const texts = Array.isArray(item.events) ? (item.events as string[]) : [item.event as string];
        for (const text of texts) yield { receivedAt, event: JSON.parse(text) as EventEnvelope };
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

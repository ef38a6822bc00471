import type { UtilizationRepository } from "@allot/core/report";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { reservationKeys, utilizationKeys } from "./keys.js";
import { queryAll } from "./query.js";
import { UTILIZATION_SHARDS } from "./usage-repository.js";

// What the utilization report reads, both written by other repositories in the transactions
// that cause them: the hour slots' bookedChips (reservation-repository.ts) and the program's
// used chip-seconds per day and shard (usage-repository.ts). Cost: 24 slot keys per day in
// batches of 100, and UTILIZATION_SHARDS queries over the day range (one small item per day each).

export const dynamoUtilizationRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): UtilizationRepository => ({
  async bookedChips(programId, hours) {
    const items = await batchGetAll(
      doc,
      tableName,
      hours.map((h) => reservationKeys.slot(programId, h)),
    );
    return new Map(
      items.filter((i) => i.bookedChips !== undefined).map((i) => [String(i.hour), Number(i.bookedChips)]),
    );
  },

  async usedChipSeconds(programId, fromDay, toDay) {
    const shards = await Promise.all(
      Array.from({ length: UTILIZATION_SHARDS }, (_, shard) =>
        queryAll(doc, {
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: {
            ":pk": utilizationKeys.usedShard(programId, shard),
            ":from": utilizationKeys.day(fromDay),
            ":to": utilizationKeys.day(toDay),
          },
        }),
      ),
    );
    const used = new Map<string, number>();
    for (const item of shards.flat()) {
      const day = String(item.sk).slice(utilizationKeys.day("").length);
      used.set(day, (used.get(day) ?? 0) + Number(item.usedChipSeconds ?? 0));
    }
    return used;
  },
});

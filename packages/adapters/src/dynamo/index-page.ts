import { validationError } from "@allot/core";
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Key, Partition } from "./keys.js";
import { partitionQuery } from "./query.js";

// One page of an index partition, newest first. The cursor is the last returned item's index
// sort key (base64url) and nothing else: the partition comes from the caller's own query, so no
// cursor opens someone else's listing, and a cursor that is not one this listing made is a 400.

export const indexPage = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  partition: Partition & { index: "gsi1" | "gsi2" },
  options: {
    limit: number;
    cursor?: string;
    /** What a sort key this listing wrote looks like. */
    sortShape: RegExp;
    /** The table key of the item a sort key names (a GSI's start key needs it). */
    keyOfSort: (sort: string) => Key;
  },
): Promise<{ items: Record<string, unknown>[]; cursor?: string }> => {
  const pk = `${partition.index}pk`;
  const sk = `${partition.index}sk`;
  let startKey: Record<string, unknown> | undefined;
  if (options.cursor !== undefined) {
    const sort = Buffer.from(options.cursor, "base64url").toString("utf8");
    if (!options.sortShape.test(sort))
      throw validationError("The cursor is invalid", [
        { field: "cursor", message: "is not a cursor this listing returned" },
      ]);
    startKey = { [pk]: partition.pk, [sk]: sort, ...options.keyOfSort(sort) };
  }
  const page = await doc.send(
    new QueryCommand({
      ...partitionQuery(tableName, partition),
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const items = page.Items ?? [];
  const last = items.at(-1);
  return {
    items,
    ...(page.LastEvaluatedKey && last
      ? { cursor: Buffer.from(String(last[sk]), "utf8").toString("base64url") }
      : {}),
  };
};

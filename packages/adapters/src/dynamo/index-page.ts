import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { cursorPage } from "./cursor-page.js";
import type { IndexPartition, Key } from "./keys.js";
import { partitionQuery } from "./query.js";

/**
 * One page of an index partition (cursor-page.ts), newest first unless said: the cursor is the
 * last returned item's index sort key.
 */
export const indexPage = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  partition: IndexPartition,
  options: {
    limit: number;
    cursor?: string;
    oldestFirst?: boolean;
    /** What a sort key this listing wrote looks like. */
    sortShape: RegExp;
    /** The table key of the item a sort key names (a GSI's start key needs it). */
    keyOfSort: (sort: string) => Key;
  },
): Promise<{ items: Record<string, unknown>[]; cursor?: string }> => {
  const pk = `${partition.index}pk`;
  const sk = `${partition.index}sk`;
  return cursorPage(doc, partitionQuery(tableName, partition), {
    limit: options.limit,
    cursor: options.cursor,
    oldestFirst: options.oldestFirst,
    shape: options.sortShape,
    cursorOf: (item) => String(item[sk]),
    startOf: (sort) => ({ [pk]: partition.pk, [sk]: sort, ...options.keyOfSort(sort) }),
  });
};

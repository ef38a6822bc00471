import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Partition } from "./keys.js";

/** Every item a query matches, following LastEvaluatedKey past the 1 MB page limit. */
export const queryAll = async (
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/**
 * The key condition that reads one partition (of the table or an index), narrowed to its sort
 * key prefix if it has one. Index reads are eventually consistent; table reads may be strong.
 */
export const partitionQuery = (tableName: string, partition: Partition): QueryCommandInput => {
  const pk = partition.index ? `${partition.index}pk` : "pk";
  const sk = partition.index ? `${partition.index}sk` : "sk";
  return {
    TableName: tableName,
    ...(partition.index ? { IndexName: partition.index } : {}),
    KeyConditionExpression:
      partition.skPrefix === undefined ? `${pk} = :pk` : `${pk} = :pk AND begins_with(${sk}, :prefix)`,
    ExpressionAttributeValues: {
      ":pk": partition.pk,
      ...(partition.skPrefix === undefined ? {} : { ":prefix": partition.skPrefix }),
    },
  };
};

/** Every item of a partition; `consistent` only for the table itself (an index cannot be read so). */
export const queryPartition = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  partition: Partition,
  options: { consistent?: boolean } = {},
) =>
  queryAll(doc, {
    ...partitionQuery(tableName, partition),
    ...(options.consistent ? { ConsistentRead: true } : {}),
  });

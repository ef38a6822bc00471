import { validationError } from "@allot/core";
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";

// One page of a listing. The cursor names the last item returned (base64url of a text the
// listing makes from it) and nothing else: the partition comes from the caller's own query, so
// no cursor opens someone else's listing, and a cursor that is not one this listing made is a
// 400. With a filter, a page may hold fewer matches than it read, so reading goes on until the
// page is full; the cursor names the last item returned, not the last one read, so nothing read
// past it is lost.

export interface CursorPageOptions {
  limit: number;
  cursor?: string;
  /** Oldest first (ascending sort key); newest first unless said. */
  oldestFirst?: boolean;
  /** What the text of a cursor this listing made looks like. */
  shape: RegExp;
  /** The cursor text that names an item. */
  cursorOf(item: Record<string, unknown>): string;
  /** The ExclusiveStartKey a cursor's text names (a GSI's needs the item's table key too). */
  startOf(text: string): Record<string, unknown>;
}

export const cursorPage = async (
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  options: CursorPageOptions,
): Promise<{ items: Record<string, unknown>[]; cursor?: string }> => {
  let startKey: Record<string, unknown> | undefined;
  if (options.cursor !== undefined) {
    const text = Buffer.from(options.cursor, "base64url").toString("utf8");
    if (!options.shape.test(text))
      throw validationError("The cursor is invalid", [
        { field: "cursor", message: "is not a cursor this listing returned" },
      ]);
    startKey = options.startOf(text);
  }
  const items: Record<string, unknown>[] = [];
  for (;;) {
    const page = await doc.send(
      new QueryCommand({
        ...input,
        ScanIndexForward: options.oldestFirst === true,
        Limit: options.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      items.push(item);
      if (items.length === options.limit) {
        const more = item !== page.Items?.at(-1) || page.LastEvaluatedKey !== undefined;
        return more ? { items, cursor: encode(options.cursorOf(item)) } : { items };
      }
    }
    if (!page.LastEvaluatedKey) return { items };
    startKey = page.LastEvaluatedKey;
  }
};

const encode = (text: string) => Buffer.from(text, "utf8").toString("base64url");

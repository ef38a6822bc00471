import { randomUUID } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable } from "../src/dynamodb/tables.js";
import { createBatchWriter } from "../src/eventbridge/batch.js";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";

let dynamo: TestDynamo;
const tableName = `eb-writer-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, { ...runtimeTable, name: tableName });
});
afterAll(async () => {
  await dynamo?.stop();
});

const stored = async (pk: string) =>
  (await dynamo.doc.send(new GetCommand({ TableName: tableName, Key: { pk, sk: "x" } }))).Item;

describe("shared batch writer", () => {
  it("stores what callers hand over at the same time, failing only the caller whose item DynamoDB refuses", async () => {
    const write = createBatchWriter(dynamo.doc, tableName, 1);
    const prefix = randomUUID();
    const good = (n: number) => ({ tag: n, item: { pk: `${prefix}#${n}`, sk: "x", n } });
    // Over DynamoDB's 400 KB item limit: the request that carries it is refused whole.
    const tooBig = { tag: 99, item: { pk: `${prefix}#big`, sk: "x", text: "x".repeat(410_000) } };
    const results = await Promise.all([
      write([good(1), good(2)]),
      write([good(3)]),
      write([tooBig]),
      write([good(4), good(5)]),
    ]);
    expect(results.map((r) => [...r.failed])).toEqual([[], [], [99], []]);
    for (const n of [1, 2, 3, 4, 5]) expect(await stored(`${prefix}#${n}`)).toMatchObject({ n });
    expect(await stored(`${prefix}#big`)).toBeUndefined();
  });
});

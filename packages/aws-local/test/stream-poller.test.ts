import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable } from "../src/dynamodb/tables.js";
import type { InvokeResult } from "../src/lambda/invoker.js";
import { silentLogger } from "../src/logger.js";
import { startStreamPoller } from "../src/streams/poller.js";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";
import { FakeLambda } from "./support/sfn-harness.js";

// Lambda's DynamoDB mapping with ReportBatchItemFailures: a batch answered with failed item
// ids is checkpointed before the first of them, and only that record and the ones after it are
// delivered again.

let dynamo: TestDynamo;
let streams: DynamoDBStreamsClient;
beforeAll(async () => {
  dynamo = await startTestDynamo();
  streams = new DynamoDBStreamsClient(dynamo.clientConfig);
});
afterAll(async () => {
  streams?.destroy();
  await dynamo?.stop();
});

const until = async (probe: () => boolean, what: string) => {
  const deadline = Date.now() + 20_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

type StreamPayload = {
  Records: Array<{ dynamodb: { SequenceNumber: string; Keys: { pk: { S: string } } } }>;
};
const keysOf = (payload: unknown) => (payload as StreamPayload).Records.map((r) => r.dynamodb.Keys.pk.S);

describe("the stream poller", () => {
  it("redelivers only the failed record and those after it when the function reports batch item failures", async () => {
    const table = { ...runtimeTable, name: "poller-partial" };
    const { streamArn } = await ensureTable(dynamo.client, table);
    let failedOnce = false;
    const lambda = new FakeLambda({
      consumer: (payload): InvokeResult => {
        const records = (payload as StreamPayload).Records;
        const third = records.find((r) => r.dynamodb.Keys.pk.S === "item-3");
        if (third && !failedOnce) {
          failedOnce = true;
          return {
            ok: true,
            payload: { batchItemFailures: [{ itemIdentifier: third.dynamodb.SequenceNumber }] },
          };
        }
        return { ok: true, payload: { batchItemFailures: [] } };
      },
    });
    for (const n of [1, 2, 3, 4, 5])
      await dynamo.doc.send(new PutCommand({ TableName: table.name, Item: { pk: `item-${n}`, sk: "X" } }));

    const poller = startStreamPoller({
      subscription: {
        name: "partial",
        table: table.name,
        function: "consumer",
        filter: { eventName: ["INSERT"] },
        batchSize: 10,
      },
      streamArn: streamArn as string,
      streamsClient: streams,
      doc: dynamo.doc,
      runtimeTable: runtimeTable.name,
      lambda,
      logger: silentLogger,
      intervalMs: 20,
    });
    try {
      await until(() => lambda.calls.length >= 2, "the redelivery");
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await poller.stop();
    }
    const deliveries = lambda.calls.map((c) => keysOf(c.payload));
    expect(deliveries).toEqual([
      ["item-1", "item-2", "item-3", "item-4", "item-5"],
      ["item-3", "item-4", "item-5"],
    ]);
  });
});

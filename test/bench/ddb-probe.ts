import "../../packages/aws-local/src/polyfills.js";
import { BatchWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mapLimit } from "../../packages/aws-local/src/eventbridge/limit.js";
import { runtimeTable, startTestDynamo } from "../../packages/aws-local/test/support/dynamo.js";

const main = async () => {
  const dynamo = await startTestDynamo();
  const T = runtimeTable.name;
  const ev = JSON.stringify({
    version: "0",
    id: "x".repeat(36),
    source: "allot.bench",
    detail: { note: "a payload of about the size of a small domain event" },
    time: new Date().toISOString(),
  });
  const small = (k: string) => ({
    pk: k,
    sk: "item",
    kind: "bench",
    receivedAt: Date.now(),
    attempts: 0,
    event: ev,
  });
  const big = (k: string, gsi: boolean) => ({
    pk: k,
    sk: "item",
    kind: "b",
    events: Array.from({ length: 10 }, () => ev),
    deliveries: "y".repeat(5000),
    ...(gsi ? { gsi1pk: "EB#DUE", gsi1sk: `${k}` } : {}),
  });
  const time = async (label: string, n: number, f: (i: number) => Promise<unknown>) => {
    const t0 = performance.now();
    await mapLimit(
      Array.from({ length: n }, (_, i) => i),
      8,
      f,
    );
    console.log(label, (performance.now() - t0).toFixed(0), "ms");
  };
  for (let r = 0; r < 3; r++) {
    const id = `${r}-${Math.random()}`;
    await time("200 x batch of 25 small", 200, (i) =>
      dynamo.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [T]: Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: small(`a${id}${i}-${k}`) } })),
          },
        }),
      ),
    );
    await time("200 x batch of 1 small", 200, (i) =>
      dynamo.doc.send(
        new BatchWriteCommand({ RequestItems: { [T]: [{ PutRequest: { Item: small(`b${id}${i}`) } }] } }),
      ),
    );
    await time("200 x batch of 1 big+gsi", 200, (i) =>
      dynamo.doc.send(
        new BatchWriteCommand({ RequestItems: { [T]: [{ PutRequest: { Item: big(`c${id}${i}`, true) } }] } }),
      ),
    );
    await time("200 x update release big", 200, (i) =>
      dynamo.doc.send(
        new UpdateCommand({
          TableName: T,
          Key: { pk: `c${id}${i}`, sk: "item" },
          UpdateExpression: "REMOVE gsi1pk, gsi1sk, deliveries",
          ConditionExpression: "attribute_exists(pk)",
        }),
      ),
    );
    await time("8 x batch of 25 big (release by put)", 8, (i) =>
      dynamo.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [T]: Array.from({ length: 25 }, (_, k) => ({
              PutRequest: { Item: big(`c${id}${i * 25 + k}`, false) },
            })),
          },
        }),
      ),
    );
  }
  await dynamo.stop();
};
void main();

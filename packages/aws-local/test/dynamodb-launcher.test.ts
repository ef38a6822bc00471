import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo?.stop();
});

it("starts DynamoDB Local with the runtime table and round-trips an item", async () => {
  await dynamo.client.send(
    new PutItemCommand({
      TableName: runtimeTable.name,
      Item: { pk: { S: "a" }, sk: { S: "b" }, v: { N: "1" } },
    }),
  );
  const got = await dynamo.client.send(
    new GetItemCommand({ TableName: runtimeTable.name, Key: { pk: { S: "a" }, sk: { S: "b" } } }),
  );
  expect(got.Item?.v).toEqual({ N: "1" });
});

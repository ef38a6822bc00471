import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { localClientConfig } from "../../src/aws-config.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../src/dynamodb/launcher.js";
import { ensureTable } from "../../src/dynamodb/tables.js";
import { freePort } from "../../src/net.js";
import { runtimeTableSpec } from "../../src/runtime-table.js";

/** The emulators' table in tests; the tests that need several name their own after it. */
export const runtimeTable = runtimeTableSpec("local-runtime");

export interface TestDynamo {
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  local: DynamoDbLocal;
  stop(): Promise<void>;
}

/** A private in-memory DynamoDB Local on a free port, with the runtime table created. */
export const startTestDynamo = async (): Promise<TestDynamo> => {
  const pidDir = mkdtempSync(join(tmpdir(), "dynamodb-local-"));
  const local = await startDynamoDbLocal({ port: await freePort(), pidDir });
  const client = new DynamoDBClient(localClientConfig(local.endpoint));
  await ensureTable(client, runtimeTable);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint: local.endpoint,
    client,
    doc,
    local,
    async stop() {
      client.destroy();
      await local.stop();
      rmSync(pidDir, { recursive: true, force: true });
    },
  };
};

/**
 * A document client for tests that race many requests at once: the SDK's default of 50
 * sockets would queue them, and a race that queues is no race.
 */
export const racingDocumentClient = (endpoint: string, maxSockets = 128) => {
  const client = new DynamoDBClient({
    ...localClientConfig(endpoint),
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets }) },
  });
  return {
    client,
    doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  };
};

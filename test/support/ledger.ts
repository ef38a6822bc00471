import { dynamoLedgerRepository } from "@allot/adapters";
import { runLedgerCheck } from "@allot/core/award";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { localClientConfig } from "../../packages/aws-local/src/aws-config.js";
import type { RuntimeProcess } from "./runtime.js";

/** The ledger check against a running runtime's DynamoDB Local: the differences, [] when exact. */
export const checkLocalLedger = async (runtime: RuntimeProcess, programId: string) => {
  const client = new DynamoDBClient(localClientConfig(runtime.dynamodb));
  try {
    const ledger = dynamoLedgerRepository(DynamoDBDocumentClient.from(client), "allot");
    return (await runLedgerCheck(ledger, programId)).differences;
  } finally {
    client.destroy();
  }
};

/** An award's ledger entries in a running runtime's DynamoDB Local. */
export const localLedgerEntries = async (runtime: RuntimeProcess, awardId: string) => {
  const client = new DynamoDBClient(localClientConfig(runtime.dynamodb));
  try {
    return await dynamoLedgerRepository(DynamoDBDocumentClient.from(client), "allot").entriesForAward(
      awardId,
    );
  } finally {
    client.destroy();
  }
};

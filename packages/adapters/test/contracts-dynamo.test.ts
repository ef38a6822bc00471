import { mainTable } from "@allot/stacks";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "aws-local";
import { afterAll, beforeAll } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../aws-local/test/support/dynamo.js";
import {
  awardItem,
  dynamoAssignmentRepository,
  dynamoAwardRepository,
  dynamoCallRepository,
  dynamoChangeRequestRepository,
  dynamoIdempotencyStore,
  dynamoLedgerRepository,
  dynamoNotificationPreferences,
  dynamoNotificationRepository,
  dynamoOutputRepository,
  dynamoProgramRepository,
  dynamoProposalRepository,
  dynamoReservationRepository,
  dynamoReviewerRepository,
  dynamoUsageRepository,
  outboxKeys,
} from "../src/index.js";
import { awardRepositoryContract } from "./contracts/awards.js";
import { callRepositoryContract } from "./contracts/calls.js";
import { changeRequestRepositoryContract } from "./contracts/changes.js";
import { idempotencyStoreContract } from "./contracts/idempotency.js";
import { ledgerRepositoryContract } from "./contracts/ledger.js";
import {
  notificationPreferencesContract,
  notificationRepositoryContract,
} from "./contracts/notifications.js";
import { outputRepositoryContract } from "./contracts/outputs.js";
import { programRepositoryContract } from "./contracts/programs.js";
import { proposalRepositoryContract } from "./contracts/proposals.js";
import { reservationRepositoryContract } from "./contracts/reservations.js";
import { reviewsContract } from "./contracts/reviews.js";
import { usageRepositoryContract } from "./contracts/usage.js";

// The DynamoDB adapters on DynamoDB Local, held to the contracts the in-memory fakes meet
// (contracts-memory.test.ts). One table serves every case: each names its own ids.

const table = mainTable.name;
let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  await ensureTable(dynamo.client, mainTable);
});
afterAll(async () => {
  await dynamo?.stop();
});

const published = async (eventId: string) =>
  (
    await dynamo.doc.send(
      new GetCommand({ TableName: table, Key: outboxKeys.key(eventId), ConsistentRead: true }),
    )
  ).Item !== undefined;

proposalRepositoryContract("DynamoDB", async () => ({
  proposals: dynamoProposalRepository(dynamo.doc, table),
  published,
}));

callRepositoryContract("DynamoDB", async () => ({
  calls: dynamoCallRepository(dynamo.doc, table),
  published,
}));

programRepositoryContract("DynamoDB", async () => ({
  programs: dynamoProgramRepository(dynamo.doc, table),
  published,
}));

reviewsContract("DynamoDB", async () => ({
  reviewers: dynamoReviewerRepository(dynamo.doc, table),
  assignments: dynamoAssignmentRepository(dynamo.doc, table),
  published,
}));

awardRepositoryContract("DynamoDB", async () => ({
  awards: dynamoAwardRepository(dynamo.doc, table),
  // The item the ledger's commitment writes: the same builder, without the money.
  seed: async (award) => {
    await dynamo.doc.send(new PutCommand({ TableName: table, Item: awardItem(award) }));
  },
  published,
}));

reservationRepositoryContract("DynamoDB", async () => ({
  reservations: dynamoReservationRepository(dynamo.doc, table),
  published,
}));

usageRepositoryContract("DynamoDB", async () => ({
  usage: dynamoUsageRepository(dynamo.doc, table),
  published,
}));

ledgerRepositoryContract("DynamoDB", async () => ({
  ledger: dynamoLedgerRepository(dynamo.doc, table),
  awards: dynamoAwardRepository(dynamo.doc, table),
  published,
}));

idempotencyStoreContract("DynamoDB", async () => ({ store: dynamoIdempotencyStore(dynamo.doc, table) }));

notificationRepositoryContract("DynamoDB", async () => ({
  notifications: dynamoNotificationRepository(dynamo.doc, table),
}));

changeRequestRepositoryContract("DynamoDB", async () => ({
  changes: dynamoChangeRequestRepository(dynamo.doc, table),
  awards: dynamoAwardRepository(dynamo.doc, table),
  ledger: dynamoLedgerRepository(dynamo.doc, table),
  seed: async (award) => {
    await dynamo.doc.send(new PutCommand({ TableName: table, Item: awardItem(award) }));
  },
  published,
}));

outputRepositoryContract("DynamoDB", async () => ({
  outputs: dynamoOutputRepository(dynamo.doc, table),
  published,
}));

notificationPreferencesContract("DynamoDB", async () => ({
  preferences: dynamoNotificationPreferences(dynamo.doc, table),
}));

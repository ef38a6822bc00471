import { ConcurrentModification, conflict, DomainError } from "@allot/core";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { sendTransaction, transactWithOutbox, versionedPut } from "../src/dynamo/transact.js";

// The one boundary where a cancelled transaction becomes a domain error, checked on the
// answers DynamoDB gives (the SDK's own exception class), without a database.

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: "Transaction cancelled",
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** A client that answers each send with the next outcome, recording what it was sent. */
const scripted = (...outcomes: Array<Error | undefined>) => {
  const sent: TransactWriteCommand["input"][] = [];
  const doc = {
    async send(command: TransactWriteCommand) {
      sent.push(command.input);
      const outcome = outcomes.shift();
      if (outcome) throw outcome;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, sent };
};

const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const event = {
  source: "allot.test",
  detailType: "Tested",
  detail: { eventId: "evt-1", version: 1, occurredAt: "2027-01-01T00:00:00.000Z", data: {} },
};
const items = () => [
  {
    item: versionedPut("t", { pk: "A#1", sk: "A", revision: 2 }, 1),
    refused: () => new ConcurrentModification("A 1"),
  },
  {
    item: versionedPut("t", { pk: "CLAIM#x", sk: "CLAIM" }, null),
    refused: () => conflict("taken"),
  },
  { item: versionedPut("t", { pk: "B#1", sk: "B", revision: 1 }, null) },
];

describe("transactWithOutbox", () => {
  it("writes the items and the events' outbox items in one transaction", async () => {
    const { doc, sent } = scripted(undefined);
    await transactWithOutbox(doc, "t", {
      items: items(),
      events: [event],
      at: new Date("2027-01-01T00:00:00Z"),
    });
    expect(sent).toHaveLength(1);
    const written = sent[0]?.TransactItems ?? [];
    expect(written.map((i) => i.Put?.Item?.pk)).toEqual(["A#1", "CLAIM#x", "B#1", "OUTBOX#evt-1"]);
    expect(written[0]?.Put?.ConditionExpression).toBe("revision = :expected");
    expect(written[0]?.Put?.ExpressionAttributeValues).toEqual({ ":expected": 1 });
    expect(written[1]?.Put?.ConditionExpression).toBe("attribute_not_exists(pk)");
  });

  it("throws the domain error of the first item whose condition failed", async () => {
    const first = scripted(cancelled("None", "ConditionalCheckFailed", "None", "None"));
    const error = await transactWithOutbox(first.doc, "t", {
      items: items(),
      events: [event],
      at: new Date(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe("conflict");
    expect(error).not.toBeInstanceOf(ConcurrentModification);
    const both = scripted(cancelled("ConditionalCheckFailed", "ConditionalCheckFailed", "None", "None"));
    await expect(
      transactWithOutbox(both.doc, "t", { items: items(), events: [], at: new Date() }),
    ).rejects.toBeInstanceOf(ConcurrentModification);
  });

  it("lets the AWS error through when the failed item names no domain error", async () => {
    const refusal = cancelled("None", "None", "ConditionalCheckFailed");
    const { doc } = scripted(refusal);
    await expect(transactWithOutbox(doc, "t", { items: items(), events: [], at: new Date() })).rejects.toBe(
      refusal,
    );
  });

  it("retries a transaction cancelled by a conflict with the same client token, then succeeds", async () => {
    const { doc, sent } = scripted(cancelled("TransactionConflict", "None", "None"), undefined);
    await transactWithOutbox(doc, "t", { items: items(), events: [], at: new Date(), retry: fast });
    expect(sent).toHaveLength(2);
    expect(sent[0]?.ClientRequestToken).toBeTruthy();
    expect(sent[1]?.ClientRequestToken).toBe(sent[0]?.ClientRequestToken);
  });
});

describe("sendTransaction", () => {
  it("answers which items failed their condition, with the error that said so", async () => {
    const refusal = cancelled("None", "ConditionalCheckFailed", "ConditionalCheckFailed");
    const { doc } = scripted(refusal);
    expect(await sendTransaction(doc, [], fast)).toEqual({ failed: [1, 2], error: refusal });
  });

  it("throws a transient failure once the attempts are used up", async () => {
    const throttled = cancelled("ThrottlingError");
    const { doc, sent } = scripted(throttled, throttled, throttled);
    await expect(sendTransaction(doc, [], fast)).rejects.toBe(throttled);
    expect(sent).toHaveLength(3);
  });
});

import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { onStreamRecords } from "../src/lib/stream.js";
import { lambdaContext } from "./support/lambda.js";

// Stream consumers answer the records that failed (ReportBatchItemFailures) instead of failing
// the batch: one bad record fails alone, whether it cannot be read or cannot be handled.

const streamEvent = (items: Array<Record<string, unknown>>): DynamoDBStreamEvent => ({
  Records: items.map((item, index) => ({
    eventID: `e${index}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      SequenceNumber: String(100 + index),
      Keys: marshall({ pk: item.pk }) as never,
      NewImage: marshall(item) as never,
      StreamViewType: "NEW_IMAGE",
    },
  })),
});

// The records this suite fails on purpose would each log a WARN with its stack into the run's
// output; the logger takes its level when it is built, so it is built silent and the process's
// setting is put back for the other files of this worker.
const builtSilent = <T>(make: () => T): T => {
  const before = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
  try {
    return make();
  } finally {
    if (before === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = before;
  }
};

describe("stream consumers", () => {
  const handled: string[][] = [];
  const consumer = builtSilent(() =>
    onStreamRecords("test-stream", {
      itemOf: (item) => {
        if (item.pk === "unreadable") throw new Error("not an outbox item");
        return item.pk === "skip" ? undefined : String(item.pk);
      },
      handle: async (items) => {
        handled.push(items);
        return items.map((item) => (item === "refused" ? new Error("PutEvents refused it") : undefined));
      },
    }),
  );

  it("reports only the records that could not be read or handled, by sequence number", async () => {
    handled.length = 0;
    const answer = await consumer(
      streamEvent([{ pk: "a" }, { pk: "unreadable" }, { pk: "skip" }, { pk: "refused" }, { pk: "b" }]),
      lambdaContext(),
    );
    expect(handled).toEqual([["a", "refused", "b"]]);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: "101" }, { itemIdentifier: "103" }] });
  });

  it("answers no failures for a batch handled whole, or empty", async () => {
    expect(await consumer(streamEvent([{ pk: "a" }, { pk: "skip" }]), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(await consumer({ Records: [] }, lambdaContext())).toEqual({ batchItemFailures: [] });
  });

  it("fails the invocation when every record failed, as Powertools does, so the batch is retried whole", async () => {
    await expect(
      consumer(streamEvent([{ pk: "refused" }, { pk: "unreadable" }]), lambdaContext()),
    ).rejects.toThrow(/All records failed/);
  });
});

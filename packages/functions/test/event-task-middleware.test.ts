import { notFound } from "@allot/core";
import { createEvent, type DomainEvent } from "@allot/core/events";
import { ProposalSubmitted } from "@allot/core/proposal";
import type { EventBridgeEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MalformedEventError, onEvent } from "../src/lib/event.js";
import { TaskError, taskHandler } from "../src/lib/task.js";
import { capturedLogs, lambdaContext } from "./support/lambda.js";

// The event and task middleware stacks with real middy: the correlation id an event or a task
// input carries is the one on their log lines and on the events they create.

const proposalId = `prp_${"b".repeat(26)}`;
const delivered = (detail: unknown, detailType: string = ProposalSubmitted.detailType) =>
  ({
    version: "0",
    id: "bus-1",
    source: ProposalSubmitted.source,
    "detail-type": detailType,
    account: "000000000000",
    time: new Date(0).toISOString(),
    region: "us-east-1",
    resources: [],
    detail,
  }) as EventBridgeEvent<string, unknown>;
const detail = (extra: Record<string, unknown> = {}) => ({
  eventId: "evt-9",
  version: 1,
  occurredAt: new Date(0).toISOString(),
  data: { proposalId, callId: "call-1" },
  ...extra,
});

describe("event consumers", () => {
  const seen: Array<{ data: unknown; correlationId: string; created: DomainEvent }> = [];
  const consumer = onEvent(ProposalSubmitted, async (data, { correlationId, logger }) => {
    logger.info("consumed");
    seen.push({
      data,
      correlationId,
      created: createEvent(ProposalSubmitted, "evt-next", new Date(0).toISOString(), data),
    });
  });

  it("continues the event's correlation id on its log lines and on the events it creates", async () => {
    seen.length = 0;
    const logs = await capturedLogs(() =>
      consumer(delivered(detail({ correlationId: "chain-1" })), lambdaContext("start-review-workflow")),
    );
    expect(seen).toEqual([
      {
        data: { proposalId, callId: "call-1" },
        correlationId: "chain-1",
        created: expect.objectContaining({ detail: expect.objectContaining({ correlationId: "chain-1" }) }),
      },
    ]);
    expect(logs.find((l) => l.message === "consumed")).toMatchObject({
      correlationId: "chain-1",
      function_name: "start-review-workflow",
    });
  });

  it("starts a chain named by the event's id when the event carries none", async () => {
    seen.length = 0;
    await consumer(delivered(detail()), lambdaContext());
    expect(seen[0]?.correlationId).toBe("evt-9");
  });

  it("refuses another event, a detail that does not match its definition, or a malformed correlation id", async () => {
    await expect(consumer(delivered(detail(), "Proposal Withdrawn"), lambdaContext())).rejects.toBeInstanceOf(
      MalformedEventError,
    );
    await expect(consumer(delivered({ ...detail(), data: { proposalId } }), lambdaContext())).rejects.toThrow(
      /Proposal Submitted: data.callId/,
    );
    await expect(
      consumer(delivered(detail({ correlationId: "has spaces" })), lambdaContext()),
    ).rejects.toBeInstanceOf(MalformedEventError);
  });
});

describe("workflow tasks", () => {
  const task = taskHandler(z.object({ proposalId: z.string() }), async (input, { correlationId, logger }) => {
    logger.info("task ran");
    if (input.proposalId === "missing") throw notFound("Proposal missing");
    return {
      input,
      correlationId,
      created: createEvent(ProposalSubmitted, "evt-t", new Date(0).toISOString(), {
        proposalId: input.proposalId,
        callId: "c",
      }).detail.correlationId,
    };
  });

  it("reads the execution's correlation id beside its input, for its log lines and its events", async () => {
    let result: unknown;
    const logs = await capturedLogs(async () => {
      result = await task({ proposalId, correlationId: "chain-2" }, lambdaContext("screen-proposal"));
    });
    expect(result).toEqual({ input: { proposalId }, correlationId: "chain-2", created: "chain-2" });
    expect(logs.find((l) => l.message === "task ran")).toMatchObject({
      correlationId: "chain-2",
      function_name: "screen-proposal",
    });
  });

  it("falls back to the Lambda request id without one", async () => {
    const context = lambdaContext();
    expect(await task({ proposalId }, context)).toMatchObject({ correlationId: context.awsRequestId });
  });

  it("raises an invalid input and a domain error under stable names for the ASL", async () => {
    await expect(task({ proposalId: 7 }, lambdaContext())).rejects.toMatchObject({
      name: "Allot.InvalidTaskInput",
    });
    const failure = task({ proposalId: "missing" }, lambdaContext());
    await expect(failure).rejects.toBeInstanceOf(TaskError);
    await expect(failure).rejects.toMatchObject({ name: "Allot.not_found" });
    await expect(failure).rejects.toThrow("Proposal missing");
  });
});

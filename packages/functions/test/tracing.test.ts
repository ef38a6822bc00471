import { createDocumentClient } from "@allot/adapters";
import { tracer } from "@allot/adapters/tracing";
import { ProposalSubmitted } from "@allot/core/proposal";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { eventBridge, sfn } from "../src/lib/deps.js";
import { onEvent } from "../src/lib/event.js";
import { httpHandler } from "../src/lib/http.js";
import { scheduleHandler } from "../src/lib/schedule.js";
import { onStreamRecords } from "../src/lib/stream.js";
import { taskHandler } from "../src/lib/task.js";
import { httpEvent, lambdaContext } from "./support/lambda.js";

// Powertools Tracer in every middleware stack and on every AWS SDK client. Tracing is off outside
// Lambda (and the test run sets the local runtime's switches), so these turn the one tracer on
// by hand, with a stand-in for the segment Lambda would open, and check what is recorded on it.

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const tracingOn = () => {
  const handlerSegment = { close: vi.fn(), addError: vi.fn(), addMetadata: vi.fn(), addAnnotation: vi.fn() };
  const invocation = {
    addNewSubsegment: vi.fn((_name: string) => handlerSegment),
    addAnnotation: vi.fn(),
    addMetadata: vi.fn(),
    addError: vi.fn(),
    addErrorFlag: vi.fn(),
  };
  vi.spyOn(tracer, "isTracingEnabled").mockReturnValue(true);
  vi.spyOn(tracer, "getSegment").mockReturnValue(
    invocation as unknown as ReturnType<typeof tracer.getSegment>,
  );
  vi.spyOn(tracer, "setSegment").mockImplementation(() => {});
  const annotations = vi.spyOn(tracer, "putAnnotation").mockImplementation(() => {});
  const response = vi.spyOn(tracer, "addResponseAsMetadata");
  return { invocation, handlerSegment, annotations, response };
};

const proposalSubmitted = {
  version: "0",
  id: "bus-1",
  source: ProposalSubmitted.source,
  "detail-type": ProposalSubmitted.detailType,
  account: "000000000000",
  time: new Date(0).toISOString(),
  region: "us-east-1",
  resources: [],
  detail: {
    eventId: "evt-1",
    version: 1,
    occurredAt: new Date(0).toISOString(),
    data: { proposalId: `prp_${"b".repeat(26)}`, callId: "call-1" },
  },
};

const stacks: Array<[string, () => Promise<unknown>]> = [
  [
    "http",
    () =>
      httpHandler({
        public: true,
        responses: { 200: z.unknown() },
        handle: async () => ({ body: { applicant: { email: "ada@example.org" } } }),
      })(httpEvent("POST /provider/notifications") as never, lambdaContext() as never),
  ],
  ["event", () => onEvent(ProposalSubmitted, async () => {})(proposalSubmitted as never, lambdaContext())],
  ["task", () => taskHandler(z.object({}), async () => "done")({}, lambdaContext())],
  [
    "stream",
    () =>
      onStreamRecords("allot-test", { itemOf: () => undefined, handle: async () => [] })(
        { Records: [] },
        lambdaContext(),
      ),
  ],
  ["schedule", () => scheduleHandler("job", async () => 0)({}, lambdaContext())],
];

describe("every middleware stack", () => {
  it.each(stacks)(
    "%s: opens the handler's subsegment on the invocation's trace and closes it",
    async (_, invoke) => {
      const { invocation, handlerSegment, annotations, response } = tracingOn();
      await invoke();
      expect(invocation.addNewSubsegment).toHaveBeenCalledTimes(1);
      expect(invocation.addNewSubsegment.mock.calls[0]?.[0]).toMatch(/^## /);
      expect(annotations).toHaveBeenCalledWith("ColdStart", expect.any(Boolean));
      expect(handlerSegment.close).toHaveBeenCalledTimes(1);
      // Answers hold personal data: never copied into traces.
      expect(response).not.toHaveBeenCalled();
    },
  );

  it("records a handler's error on the trace and still closes its subsegment", async () => {
    const { invocation, handlerSegment } = tracingOn();
    const failing = taskHandler(z.object({}), async () => {
      throw new Error("the provider is down");
    });
    await expect(failing({}, lambdaContext())).rejects.toThrow("the provider is down");
    expect(invocation.addError).toHaveBeenCalledWith(
      expect.objectContaining({ message: "the provider is down" }),
      false,
    );
    expect(handlerSegment.close).toHaveBeenCalledTimes(1);
  });
});

describe("the functions' AWS SDK clients", () => {
  it("are captured by the tracer where they are built", () => {
    // `once` keeps one client per function: a name of this test's own builds fresh ones.
    vi.stubEnv("AWS_LAMBDA_FUNCTION_NAME", `tracing-test-${crypto.randomUUID()}`);
    const capture = vi.spyOn(tracer, "captureAWSv3Client");
    createDocumentClient();
    eventBridge();
    sfn();
    const captured = capture.mock.calls.map(([client]) => client);
    expect(captured).toEqual([
      expect.any(DynamoDBClient),
      expect.any(EventBridgeClient),
      expect.any(SFNClient),
    ]);
  });

  it("are left as they are while tracing is off (locally)", () => {
    expect(tracer.isTracingEnabled()).toBe(false);
    const client = new SFNClient({});
    expect(tracer.captureAWSv3Client(client)).toBe(client);
    expect(client.middlewareStack.identify().join(" ")).not.toMatch(/XRay/i);
  });
});

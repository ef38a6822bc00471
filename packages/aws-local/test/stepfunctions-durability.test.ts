import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_TIMER_MS, Scheduler } from "../src/stepfunctions/timers.js";
import { runtimeTable, startTestDynamo, type TestDynamo } from "./support/dynamo.js";
import {
  FakeLambda,
  ok,
  recordingLogger,
  type SfnHarness,
  startSfn,
  uniqueName,
  until,
} from "./support/sfn-harness.js";

const DAY = 86_400_000;
const ROLE = "arn:aws:iam::000000000000:role/test";

let dynamo: TestDynamo;
const running: SfnHarness[] = [];
const lambda = new FakeLambda({
  screen: (payload) =>
    ok({ eligible: true, reasons: [], proposalId: (payload as { proposalId: string }).proposalId }),
  "await-decision": () => ok(null),
  "await-review": () => ok(null),
  echo: (payload) => ok(payload),
});

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterEach(async () => {
  for (const harness of running.splice(0)) await harness.kill();
});
afterAll(async () => {
  await dynamo?.stop();
});

const boot = async (options: Parameters<typeof startSfn>[1] = {}) => {
  const harness = await startSfn(dynamo, { lambda, ...options });
  running.push(harness);
  return harness;
};

/**
 * A restart as the data sees a kill -9: the old instance writes nothing more, a new one
 * resumes. `killedAt` is when the old one was gone: nothing can have re-armed before it.
 */
const restart = async (old: SfnHarness, options: Parameters<typeof startSfn>[1] = {}) => {
  running.splice(running.indexOf(old), 1);
  await old.kill();
  const killedAt = Date.now();
  const fresh = await boot(options);
  await fresh.emulator.resume();
  return Object.assign(fresh, { killedAt });
};

const createMachine = async (h: SfnHarness, definition: object) =>
  (
    await h.sfn.send(
      new CreateStateMachineCommand({
        name: uniqueName("d"),
        definition: JSON.stringify(definition),
        roleArn: ROLE,
      }),
    )
  ).stateMachineArn as string;

const start = async (h: SfnHarness, stateMachineArn: string, input: unknown = {}) =>
  (await h.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) })))
    .executionArn as string;

const historyOf = async (h: SfnHarness, executionArn: string): Promise<HistoryEvent[]> =>
  (await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];

const taskRecords = async (executionArn: string) =>
  (
    await dynamo.doc.send(
      new QueryCommand({
        TableName: runtimeTable.name,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :task)",
        ExpressionAttributeValues: { ":pk": `SFN#EX#${executionArn}`, ":task": "TASK#" },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tokenOf = (id: string) =>
  until(() => {
    const call = lambda
      .callsOf("await-decision")
      .find((c) => (c.payload as { proposalId?: string }).proposalId === id);
    return (call?.payload as { taskToken?: string } | undefined)?.taskToken;
  });

// A review workflow as an application would write it: tasks, callbacks, waits and a choice.
const proposalReview = {
  StartAt: "Screen",
  States: {
    Screen: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: {
        FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:screen",
        Payload: { "proposalId.$": "$.proposalId" },
      },
      ResultSelector: { "eligible.$": "$.Payload.eligible", "reasons.$": "$.Payload.reasons" },
      ResultPath: "$.screening",
      Next: "Eligible?",
    },
    "Eligible?": {
      Type: "Choice",
      Choices: [{ Variable: "$.screening.eligible", BooleanEquals: true, Next: "AwaitDecision" }],
      Default: "Ineligible",
    },
    AwaitDecision: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: {
        FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:await-decision",
        Payload: { "proposalId.$": "$.proposalId", "taskToken.$": "$$.Task.Token" },
      },
      ResultPath: "$.decision",
      TimeoutSeconds: 7776000,
      Next: "Decided",
    },
    Decided: { Type: "Succeed" },
    Ineligible: { Type: "Succeed" },
  },
};

const expectWellFormed = (events: HistoryEvent[]) => {
  expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  expect(events.filter((e) => e.type === "ExecutionStarted")).toHaveLength(1);
  const entered = events
    .filter((e) => e.type?.endsWith("StateEntered"))
    .map((e) => e.stateEnteredEventDetails?.name);
  expect(new Set(entered).size).toBe(entered.length);
};

describe("restart", () => {
  it("a pending task token survives a kill: SendTaskSuccess on the new instance completes the execution", async () => {
    let h = await boot();
    const arn = await createMachine(h, proposalReview);
    const executionArn = await start(h, arn, { proposalId: "p-restart" });
    const token = await tokenOf("p-restart");
    await until(async () => (await historyOf(h, executionArn)).some((e) => e.type === "TaskSubmitted"));

    h = await restart(h);
    await h.sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ outcome: "funded" }) }),
    );
    const record = await h.emulator.waitForExecution(executionArn);
    expect(record.status).toBe("SUCCEEDED");
    expect(JSON.parse(record.output as string)).toEqual({
      proposalId: "p-restart",
      screening: { eligible: true, reasons: [] },
      decision: { outcome: "funded" },
    });
    // Neither the finished task nor the callback's side effect ran again.
    expect(
      lambda
        .callsOf("screen")
        .filter((c) => (c.payload as { proposalId: string }).proposalId === "p-restart"),
    ).toHaveLength(1);
    expect(
      lambda
        .callsOf("await-decision")
        .filter((c) => (c.payload as { proposalId: string }).proposalId === "p-restart"),
    ).toHaveLength(1);
    const events = await historyOf(h, executionArn);
    expectWellFormed(events);
    expect(events.map((e) => e.type).slice(-6)).toEqual([
      "TaskSubmitted",
      "TaskSucceeded",
      "TaskStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("an answer given while no instance runs the execution is applied when it resumes", async () => {
    let h = await boot();
    const arn = await createMachine(h, proposalReview);
    const executionArn = await start(h, arn, { proposalId: "p-offline" });
    const token = await tokenOf("p-offline");
    await until(async () => (await historyOf(h, executionArn)).some((e) => e.type === "TaskSubmitted"));
    running.splice(running.indexOf(h), 1);
    await h.kill();

    h = await boot();
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"late"' }));
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
    await h.emulator.resume();
    const record = await h.emulator.waitForExecution(executionArn);
    expect(JSON.parse(record.output as string).decision).toBe("late");
  });

  it("StopExecution works on an execution no instance has resumed, and resume leaves it stopped", async () => {
    let h = await boot();
    const arn = await createMachine(h, proposalReview);
    const executionArn = await start(h, arn, { proposalId: "p-stop" });
    await tokenOf("p-stop");
    running.splice(running.indexOf(h), 1);
    await h.kill();
    h = await boot();
    await h.sfn.send(new StopExecutionCommand({ executionArn, error: "Withdrawn" }));
    await h.emulator.resume();
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("ABORTED");
    expect((await historyOf(h, executionArn)).at(-1)?.type).toBe("ExecutionAborted");
  });

  it("a running marker whose execution was never written (a kill between the two) is dropped at resume", async () => {
    const executionArn = `arn:aws:states:us-east-1:000000000000:execution:${uniqueName("m")}:never-written`;
    const marker = { pk: "SFN#RUNNING", sk: executionArn };
    await dynamo.doc.send(new PutCommand({ TableName: runtimeTable.name, Item: marker }));
    const h = await boot();
    await h.emulator.resume();
    const left = await dynamo.doc.send(
      new GetCommand({ TableName: runtimeTable.name, Key: marker, ConsistentRead: true }),
    );
    expect(left.Item).toBeUndefined();
  });

  it("retry attempts get their own token, and the attempt and retry budget survive a kill", async () => {
    let h = await boot();
    const arn = await createMachine(h, {
      ...proposalReview,
      States: {
        ...proposalReview.States,
        AwaitDecision: {
          ...proposalReview.States.AwaitDecision,
          Retry: [{ ErrorEquals: ["Retryable"], IntervalSeconds: 1, MaxAttempts: 1 }],
        },
      },
    });
    const executionArn = await start(h, arn, { proposalId: "p-retry" });
    const tokens = () =>
      lambda
        .callsOf("await-decision")
        .filter((c) => (c.payload as { proposalId: string }).proposalId === "p-retry")
        .map((c) => (c.payload as { taskToken: string }).taskToken);
    const [first] = await until(() => tokens().length === 1 && tokens());
    await h.sfn.send(
      new SendTaskFailureCommand({ taskToken: first, error: "Retryable", cause: "once more" }),
    );
    const [, second] = await until(() => tokens().length === 2 && tokens());
    expect(second).not.toBe(first);
    await until(
      async () => (await historyOf(h, executionArn)).filter((e) => e.type === "TaskSubmitted").length === 2,
    );

    h = await restart(h);
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: first, output: "{}" })),
    ).rejects.toMatchObject({
      name: "TaskTimedOut",
    });
    // The only retry is spent: the same error now fails the execution.
    await h.sfn.send(new SendTaskFailureCommand({ taskToken: second, error: "Retryable", cause: "again" }));
    const record = await h.emulator.waitForExecution(executionArn);
    expect(record).toMatchObject({ status: "FAILED", error: "Retryable", cause: "again" });
    expect(tokens()).toHaveLength(2);
  });

  it("callbacks inside a Map keep their tokens across a kill; the Map re-runs without repeating side effects", async () => {
    let h = await boot();
    const arn = await createMachine(h, {
      StartAt: "CollectReviews",
      States: {
        CollectReviews: {
          Type: "Map",
          ItemsPath: "$.slots",
          MaxConcurrency: 0,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "AwaitReview",
            States: {
              AwaitReview: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
                Parameters: {
                  FunctionName: "await-review",
                  Payload: { "slot.$": "$.slot", "taskToken.$": "$$.Task.Token" },
                },
                HeartbeatSecondsPath: "$.heartbeat",
                ResultPath: "$.review",
                End: true,
              },
            },
          },
          ResultPath: "$.reviews",
          End: true,
        },
      },
    });
    const slots = [1, 2, 3].map((slot) => ({ slot, heartbeat: 3600 }));
    const executionArn = await start(h, arn, { slots });
    const tokenOfSlot = async (slot: number) =>
      until(() => {
        const call = lambda
          .callsOf("await-review")
          .find((c) => (c.payload as { slot: number }).slot === slot);
        return (call?.payload as { taskToken?: string } | undefined)?.taskToken;
      });
    const tokens = await Promise.all([1, 2, 3].map(tokenOfSlot));
    expect(new Set(tokens).size).toBe(3);
    await until(
      async () => (await historyOf(h, executionArn)).filter((e) => e.type === "TaskSubmitted").length === 3,
    );
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '"score 4"' }));
    await until(async () => (await historyOf(h, executionArn)).some((e) => e.type === "TaskSucceeded"));

    h = await restart(h);
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '"again"' })),
    ).rejects.toMatchObject({
      name: "TaskTimedOut",
    });
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[1], output: '"score 5"' }));
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[2], output: '"score 3"' }));
    const record = await h.emulator.waitForExecution(executionArn);
    expect(JSON.parse(record.output as string).reviews.map((r: { review: string }) => r.review)).toEqual([
      "score 4",
      "score 5",
      "score 3",
    ]);
    expect(lambda.callsOf("await-review")).toHaveLength(3);
  });

  it("a Wait survives a kill and fires at its original due time", async () => {
    let h = await boot();
    const arn = await createMachine(h, {
      StartAt: "Pause",
      States: { Pause: { Type: "Wait", Seconds: 2, Next: "After" }, After: { Type: "Pass", End: true } },
    });
    const executionArn = await start(h, arn, { n: 1 });
    await sleep(700);
    const restarted = await restart(h);
    h = restarted;
    const record = await h.emulator.waitForExecution(executionArn);
    expect(record.status).toBe("SUCCEEDED");
    const elapsed = (record.stopDate as number) - record.startDate;
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    // A wait restarted from zero could not end before the kill plus the full 2 s.
    expect(elapsed).toBeLessThan(restarted.killedAt - record.startDate + 2000);
    expectWellFormed(await historyOf(h, executionArn));
  });

  it("a task timeout survives a kill and fires at its original deadline", async () => {
    let h = await boot();
    const arn = await createMachine(h, {
      ...proposalReview,
      States: {
        ...proposalReview.States,
        AwaitDecision: {
          ...proposalReview.States.AwaitDecision,
          TimeoutSeconds: 2,
          Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.timeout", Next: "Decided" }],
        },
      },
    });
    const executionArn = await start(h, arn, { proposalId: "p-timeout" });
    await tokenOf("p-timeout");
    await sleep(500);
    const restarted = await restart(h);
    h = restarted;
    const record = await h.emulator.waitForExecution(executionArn);
    expect(JSON.parse(record.output as string).timeout.Error).toBe("States.Timeout");
    const events = await historyOf(h, executionArn);
    const scheduled = events.find(
      (e) =>
        e.type === "TaskScheduled" && e.taskScheduledEventDetails?.resource === "invoke.waitForTaskToken",
    );
    const timedOut = events.find((e) => e.type === "TaskTimedOut");
    const scheduledAt = scheduled?.timestamp?.getTime() ?? 0;
    const waited = (timedOut?.timestamp?.getTime() ?? 0) - scheduledAt;
    expect(waited).toBeGreaterThanOrEqual(2000);
    expect(waited).toBeLessThan(restarted.killedAt - scheduledAt + 2000);
  });

  it("a kill at any moment loses nothing: each run completes once, with one history", async () => {
    const definition = {
      StartAt: "Prepare",
      States: {
        Prepare: { Type: "Pass", Result: { value: 21 }, Next: "Call" },
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "echo", "Payload.$": "$" },
          ResultSelector: { "v.$": "$.Payload.value" },
          Next: "Breathe",
        },
        Breathe: { Type: "Wait", Seconds: 0, Next: "Double" },
        Double: { Type: "Pass", Parameters: { "doubled.$": "States.MathAdd($.v, $.v)" }, End: true },
      },
    };
    let h = await boot();
    const arn = await createMachine(h, definition);
    for (const delay of [0, 10, 30, 60, 120]) {
      const executionArn = await start(h, arn, { delay });
      await sleep(delay);
      h = await restart(h);
      const record = await h.emulator.waitForExecution(executionArn);
      expect(record.status, `killed after ${delay} ms`).toBe("SUCCEEDED");
      expect(JSON.parse(record.output as string)).toEqual({ doubled: 42 });
      const events = await historyOf(h, executionArn);
      expectWellFormed(events);
      expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
    }
  });
});

describe("long waits", () => {
  it("arms timers in hops no longer than Node allows, and honours a moved clock", () => {
    let now = 0;
    const fired: number[] = [];
    const spy = vi.spyOn(globalThis, "setTimeout");
    const scheduler = new Scheduler(() => now);
    try {
      scheduler.at(30 * DAY, () => fired.push(now));
      expect(Math.max(...spy.mock.calls.map((call) => Number(call[1])))).toBeLessThanOrEqual(MAX_TIMER_MS);
      now = 29 * DAY;
      scheduler.recheck();
      expect(fired).toEqual([]);
      now = 30 * DAY;
      scheduler.recheck();
      expect(fired).toEqual([30 * DAY]);
    } finally {
      scheduler.stop();
      spy.mockRestore();
    }
  });

  it("re-arms hop after hop until the due time (real time, short hops)", async () => {
    const h = await boot({ maxTimerHopMs: 150 });
    const arn = await createMachine(h, {
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 1, End: true } },
    });
    const record = await h.emulator.waitForExecution(await start(h, arn));
    const elapsed = (record.stopDate as number) - record.startDate;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3000);
  });

  it("a 30-day Wait and a 90-day callback timeout neither fire early nor get lost across a restart", async () => {
    let offset = 0;
    const now = () => Date.now() + offset;
    const spy = vi.spyOn(globalThis, "setTimeout");
    try {
      let h = await boot({ now });
      const arn = await createMachine(h, {
        StartAt: "Cooling",
        States: {
          Cooling: { Type: "Wait", SecondsPath: "$.wait", Next: "Screen" },
          ...proposalReview.States,
        },
      });
      const executionArn = await start(h, arn, { proposalId: "p-long", wait: 30 * 86_400 });
      const startDate = (
        await h.sfn.send(new DescribeExecutionCommand({ executionArn }))
      ).startDate?.getTime() as number;
      const waitRecord = await until(async () =>
        (await taskRecords(executionArn)).find((r) => r.dueAt !== undefined),
      );
      expect(waitRecord.dueAt - startDate).toBeGreaterThanOrEqual(30 * DAY);
      expect(waitRecord.dueAt - startDate).toBeLessThan(30 * DAY + 5000);

      offset += 29 * DAY;
      h.emulator.recheckTimers();
      h = await restart(h, { now });
      await sleep(300);
      expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
      expect(
        lambda.callsOf("screen").some((c) => (c.payload as { proposalId: string }).proposalId === "p-long"),
      ).toBe(false);

      offset += DAY + 1000;
      h.emulator.recheckTimers();
      const token = await tokenOf("p-long");
      const callback = await until(async () =>
        (await taskRecords(executionArn)).find((r) => r.token === token),
      );
      expect(callback.timeoutAt - now()).toBeGreaterThan(89 * DAY);

      offset += 89 * DAY;
      h.emulator.recheckTimers();
      await sleep(300);
      expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
      await h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"eventually"' }));
      const record = await h.emulator.waitForExecution(executionArn);
      expect(JSON.parse(record.output as string).decision).toBe("eventually");
      const events = await historyOf(h, executionArn);
      const entered = events.find((e) => e.type === "WaitStateEntered")?.timestamp?.getTime() ?? 0;
      const exited = events.find((e) => e.type === "WaitStateExited")?.timestamp?.getTime() ?? 0;
      expect(exited - entered).toBeGreaterThanOrEqual(30 * DAY);
      expect(Math.max(...spy.mock.calls.map((call) => Number(call[1] ?? 0)))).toBeLessThanOrEqual(
        MAX_TIMER_MS,
      );
    } finally {
      spy.mockRestore();
    }
  });

  it("a wait longer than one segment relaunches from its checkpoint without repeating anything", async () => {
    const messages: string[] = [];
    const h = await boot({ segmentMaxMs: 300, logger: recordingLogger(messages) });
    const arn = await createMachine(h, {
      StartAt: "Pause",
      States: { Pause: { Type: "Wait", Seconds: 1, Next: "Screen" }, ...proposalReview.States },
    });
    const executionArn = await start(h, arn, { proposalId: "p-segments" });
    const token = await tokenOf("p-segments");
    await sleep(900);
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"after relaunches"' }));
    const record = await h.emulator.waitForExecution(executionArn);
    expect(JSON.parse(record.output as string).decision).toBe("after relaunches");
    expect(
      lambda
        .callsOf("await-decision")
        .filter((c) => (c.payload as { proposalId: string }).proposalId === "p-segments"),
    ).toHaveLength(1);
    const events = await historyOf(h, executionArn);
    expectWellFormed(events);
    expect(events.filter((e) => e.type === "TaskScheduled")).toHaveLength(2);
    // Both the Wait and the callback outlived a segment at least once.
    const relaunched = messages.filter((m) => m.startsWith("relaunching"));
    expect(relaunched.some((m) => m.includes('"state":"Pause"'))).toBe(true);
    expect(relaunched.some((m) => m.includes('"state":"AwaitDecision"'))).toBe(true);
  });
});

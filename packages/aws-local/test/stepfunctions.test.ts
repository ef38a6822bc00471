import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "./support/dynamo.js";
import { FakeLambda, ok, type SfnHarness, startSfn, uniqueName, until } from "./support/sfn-harness.js";

const ROLE = "arn:aws:iam::000000000000:role/test";

let dynamo: TestDynamo;
const flakyCalls = new Map<string, number>();
let openGate!: () => void;
const gate = { promise: new Promise<void>((resolve) => (openGate = resolve)) };
let h: SfnHarness;
const lambda = new FakeLambda({
  echo: (payload) => ok({ echoed: payload }),
  screen: (payload) => ok({ eligible: true, reasons: [], got: payload }),
  boom: () => ({
    ok: false,
    errorType: "ProposalRejected",
    errorMessage: "not eligible",
    trace: ["at boom"],
  }),
  // Callback receivers: they keep the token and answer later through the API.
  notify: () => ok({ queued: true }),
  // Fails twice per key, then succeeds: for Retry.
  flaky: (payload) => {
    const key = String((payload as { key: string }).key);
    flakyCalls.set(key, (flakyCalls.get(key) ?? 0) + 1);
    return (flakyCalls.get(key) ?? 0) <= 2
      ? { ok: false, errorType: "Glitch", errorMessage: "try again" }
      : ok({ attempts: flakyCalls.get(key) });
  },
  // Held until the test opens the gate.
  slow: () => gate.promise.then(() => ok("slow done")),
});

beforeAll(async () => {
  dynamo = await startTestDynamo();
  h = await startSfn(dynamo, { lambda });
});
afterAll(async () => {
  await h?.kill();
  await dynamo?.stop();
});

const machine = async (definition: object, name = uniqueName("m")) => {
  const created = await h.sfn.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }),
  );
  return created.stateMachineArn as string;
};

const start = async (stateMachineArn: string, input: unknown = {}, name?: string) => {
  const started = await h.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }),
  );
  return started.executionArn as string;
};

const finished = async (executionArn: string) => {
  await h.emulator.waitForExecution(executionArn, 15_000);
  return h.sfn.send(new DescribeExecutionCommand({ executionArn }));
};

const historyOf = async (executionArn: string): Promise<HistoryEvent[]> =>
  (await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];

/** The token the callback receiver got for the execution started with input `{ id }`. */
const tokenFor = (id: unknown): Promise<string> =>
  until(() => {
    const call = lambda.callsOf("notify").find((c) => (c.payload as { id?: unknown }).id === id);
    return (call?.payload as { token?: string } | undefined)?.token;
  });

const callbackMachine = (
  extra: object = {},
  catchers: Array<{ Next: string; [field: string]: unknown }> = [],
) => {
  const targets = new Set(catchers.map((c) => c.Next));
  return {
    StartAt: "Await",
    States: {
      Await: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "notify", Payload: { "token.$": "$$.Task.Token", "id.$": "$.id" } },
        ResultPath: "$.answer",
        ...(catchers.length ? { Catch: catchers } : {}),
        ...extra,
        End: true,
      },
      ...Object.fromEntries([...targets].map((name) => [name, { Type: "Pass", End: true }])),
    },
  };
};

describe("state machines", () => {
  it("creates, lists and describes a machine; the same definition again is the same machine", async () => {
    const name = uniqueName("crud");
    const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const created = await h.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
    expect(created.stateMachineArn).toBe(`arn:aws:states:us-east-1:000000000000:stateMachine:${name}`);
    expect(created.creationDate).toBeInstanceOf(Date);
    const again = await h.sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
    expect(again.stateMachineArn).toBe(created.stateMachineArn);

    const described = await h.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({ name, definition, roleArn: ROLE, type: "STANDARD", status: "ACTIVE" });
    const listed = await h.sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toContain(name);

    const changed = JSON.stringify({ StartAt: "Q", States: { Q: { Type: "Pass", End: true } } });
    await expect(
      h.sfn.send(new CreateStateMachineCommand({ name, definition: changed, roleArn: ROLE })),
    ).rejects.toMatchObject({ name: "StateMachineAlreadyExists" });
    // The emulator's own helper updates instead (a changed definition at start-up).
    await h.emulator.createStateMachine(name, changed, ROLE);
    const updated = await h.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(updated.definition).toBe(changed);
  });

  it("refuses invalid names and invalid definitions", async () => {
    const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    await expect(
      h.sfn.send(new CreateStateMachineCommand({ name: "has space", definition, roleArn: ROLE })),
    ).rejects.toMatchObject({ name: "InvalidName" });
    await expect(
      h.sfn.send(
        new CreateStateMachineCommand({ name: uniqueName("bad"), definition: "{not json", roleArn: ROLE }),
      ),
    ).rejects.toMatchObject({ name: "InvalidDefinition" });
    const unreachable = {
      StartAt: "A",
      States: { A: { Type: "Pass", End: true }, B: { Type: "Pass", End: true } },
    };
    await expect(machine(unreachable)).rejects.toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringContaining("not reachable"),
    });
    const sqs = {
      StartAt: "A",
      States: { A: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true } },
    };
    await expect(machine(sqs)).rejects.toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringContaining("sqs:sendMessage"),
    });
  });

  it("refuses JSONata and the JSONata-era fields the interpreter would silently ignore", async () => {
    const jsonata = {
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: { A: { Type: "Pass", Output: "{% $states.input %}", End: true } },
    };
    await expect(machine(jsonata)).rejects.toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringContaining("JSONata"),
    });
    const assign = { StartAt: "A", States: { A: { Type: "Pass", Assign: { x: 1 }, End: true } } };
    await expect(machine(assign)).rejects.toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringContaining("Assign"),
    });
    const args = {
      StartAt: "A",
      States: {
        A: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { FunctionName: "echo" },
          End: true,
        },
      },
    };
    await expect(machine(args)).rejects.toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringContaining("Arguments"),
    });
  });
});

describe("executions", () => {
  it("StartExecution is idempotent by name while running, and ExecutionAlreadyExists otherwise", async () => {
    const arn = await machine(callbackMachine());
    const first = await h.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: "same", input: '{"id":1}' }),
    );
    expect(first.executionArn).toBe(`${arn.replace(":stateMachine:", ":execution:")}:same`);
    const again = await h.sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: "same", input: '{"id":1}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(
      h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "same", input: '{"id":2}' })),
    ).rejects.toMatchObject({ name: "ExecutionAlreadyExists" });

    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor(1), output: '"done"' }));
    expect((await finished(first.executionArn as string)).status).toBe("SUCCEEDED");
    await expect(
      h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "same", input: '{"id":1}' })),
    ).rejects.toMatchObject({ name: "ExecutionAlreadyExists" });

    const unnamed = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"id":3}' }));
    expect(unnamed.executionArn).toMatch(/:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await expect(
      h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "bad/name", input: "{}" })),
    ).rejects.toMatchObject({ name: "InvalidName" });
    await expect(
      h.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}-missing`, input: "{}" })),
    ).rejects.toMatchObject({ name: "StateMachineDoesNotExist" });
    await h.sfn.send(new StopExecutionCommand({ executionArn: unnamed.executionArn }));
  });

  it("runs lambda:invoke with the AWS result shape, and a function error is caught with AWS's error and cause", async () => {
    const arn = await machine({
      StartAt: "Screen",
      States: {
        Screen: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: {
            FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:screen",
            Payload: { "proposalId.$": "$.proposalId" },
          },
          ResultSelector: { "eligible.$": "$.Payload.eligible", "status.$": "$.StatusCode" },
          ResultPath: "$.screening",
          Next: "Boom",
        },
        Boom: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "boom", Payload: {} },
          Catch: [{ ErrorEquals: ["ProposalRejected"], ResultPath: "$.error", Next: "Done" }],
          Next: "Done",
        },
        Done: { Type: "Succeed" },
      },
    });
    const done = await finished(await start(arn, { proposalId: "p-1" }));
    expect(done.status).toBe("SUCCEEDED");
    const output = JSON.parse(done.output as string);
    expect(output.screening).toEqual({ eligible: true, status: 200 });
    expect(output.error.Error).toBe("ProposalRejected");
    expect(JSON.parse(output.error.Cause)).toEqual({
      errorMessage: "not eligible",
      errorType: "ProposalRejected",
      trace: ["at boom"],
    });
    expect(lambda.callsOf("screen").at(-1)?.payload).toEqual({ proposalId: "p-1" });
  });

  it("runs a Lambda function ARN as the resource (payload = effective input, result = return value)", async () => {
    const arn = await machine({
      StartAt: "Echo",
      States: {
        Echo: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:000000000000:function:echo",
          InputPath: "$.in",
          End: true,
        },
      },
    });
    const executionArn = await start(arn, { in: { a: 1 } });
    const done = await finished(executionArn);
    expect(JSON.parse(done.output as string)).toEqual({ echoed: { a: 1 } });
    const types = (await historyOf(executionArn)).map((e) => e.type);
    expect(types).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails an execution on an unknown function with Lambda.ResourceNotFoundException", async () => {
    const arn = await machine({
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "nope" },
          End: true,
        },
      },
    });
    const done = await finished(await start(arn));
    expect(done).toMatchObject({ status: "FAILED", error: "Lambda.ResourceNotFoundException" });
  });

  it("runs an execution whose input and output are each near the 256 KiB limit, and keeps both and its history", async () => {
    const arn = await machine({
      StartAt: "Copy",
      States: {
        Copy: { Type: "Pass", Parameters: { "again.$": "$.blob", "marker.$": "$.marker" }, Next: "Echo" },
        Echo: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "echo", "Payload.$": "$.marker" },
          ResultPath: "$.echo",
          End: true,
        },
      },
    });
    const blob = "x".repeat(200 * 1024);
    const done = await finished(await start(arn, { blob, marker: "m" }));
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.input ?? "{}").blob).toBe(blob);
    const output = JSON.parse(done.output ?? "{}");
    expect(output.again).toBe(blob);
    expect(output.echo.Payload).toEqual({ echoed: "m" });
    const events = await historyOf(done.executionArn as string);
    expect(events.map((e) => e.type)).toContain("ExecutionSucceeded");
    const succeeded = events.find((e) => e.type === "ExecutionSucceeded");
    expect(JSON.parse(succeeded?.executionSucceededEventDetails?.output ?? "{}").again).toBe(blob);
  });

  it("calls putEvents for events:putEvents, and a failed entry fails the task with EventBridge.FailedEntry", async () => {
    const arn = await machine({
      StartAt: "Emit",
      States: {
        Emit: {
          Type: "Task",
          Resource: "arn:aws:states:::events:putEvents",
          Parameters: {
            Entries: [{ Source: "acme.test", DetailType: "Thing", "Detail.$": "$", EventBusName: "acme" }],
          },
          End: true,
        },
      },
    });
    const done = await finished(await start(arn, { id: 7 }));
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string)).toMatchObject({
      FailedEntryCount: 0,
      Entries: [{ EventId: expect.any(String) }],
    });
    expect(h.events.find((e) => e.DetailType === "Thing")).toEqual({
      Source: "acme.test",
      DetailType: "Thing",
      Detail: '{"id":7}',
      EventBusName: "acme",
    });

    const failing = await startSfn(dynamo, { failEvents: true });
    try {
      const arn2 = (
        await failing.sfn.send(
          new CreateStateMachineCommand({
            name: uniqueName("emit-fail"),
            roleArn: ROLE,
            definition: JSON.stringify({
              StartAt: "Emit",
              States: {
                Emit: {
                  Type: "Task",
                  Resource: "arn:aws:states:::events:putEvents",
                  Parameters: { Entries: [{ Detail: {} }] },
                  End: true,
                },
              },
            }),
          }),
        )
      ).stateMachineArn as string;
      const started = await failing.sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn2, input: "{}" }),
      );
      const record = await failing.emulator.waitForExecution(started.executionArn as string);
      expect(record).toMatchObject({ status: "FAILED", error: "EventBridge.FailedEntry" });
    } finally {
      await failing.kill();
    }
  });
});

describe("callbacks (.waitForTaskToken)", () => {
  it("SendTaskSuccess resumes the task with the parsed output as its result", async () => {
    const arn = await machine(callbackMachine());
    const executionArn = await start(arn, { id: "p-9" });
    const token = await tokenFor("p-9");
    await until(async () => (await historyOf(executionArn)).some((e) => e.type === "TaskSubmitted"));
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
    await h.sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: "funded" }) }),
    );
    const done = await finished(executionArn);
    expect(JSON.parse(done.output as string)).toEqual({ id: "p-9", answer: { decision: "funded" } });
    // A token answers once.
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })),
    ).rejects.toMatchObject({
      name: "TaskTimedOut",
    });
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: "garbage", output: "{}" })),
    ).rejects.toMatchObject({
      name: "InvalidToken",
    });
  });

  it("SendTaskFailure fails the task with the given error, which a Catch catches", async () => {
    const arn = await machine(
      callbackMachine({}, [{ ErrorEquals: ["Rejected"], ResultPath: "$.failure", Next: "Caught" }]),
    );
    const executionArn = await start(arn, { id: "x" });
    await h.sfn.send(
      new SendTaskFailureCommand({
        taskToken: await tokenFor("x"),
        error: "Rejected",
        cause: "committee said no",
      }),
    );
    const done = await finished(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output as string).failure).toEqual({
      Error: "Rejected",
      Cause: "committee said no",
    });
    const types = (await historyOf(executionArn)).map((e) => e.type);
    expect(types).toContain("TaskFailed");
    expect(types.indexOf("PassStateEntered")).toBeGreaterThan(types.indexOf("TaskFailed"));
  });

  it("TimeoutSeconds fails the task with States.Timeout, which States.TaskFailed does not match", async () => {
    const arn = await machine(
      callbackMachine({ TimeoutSeconds: 1 }, [
        { ErrorEquals: ["States.TaskFailed"], Next: "Caught" },
        { ErrorEquals: ["States.Timeout"], ResultPath: "$.timeout", Next: "TimedOut" },
      ]),
    );
    const executionArn = await start(arn, { id: "t" });
    const token = await tokenFor("t");
    const done = await finished(executionArn);
    expect(JSON.parse(done.output as string).timeout.Error).toBe("States.Timeout");
    const events = await historyOf(executionArn);
    expect(events.map((e) => e.type)).toContain("TaskTimedOut");
    expect(events.find((e) => e.type === "PassStateEntered")?.stateEnteredEventDetails?.name).toBe(
      "TimedOut",
    );
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })),
    ).rejects.toMatchObject({
      name: "TaskTimedOut",
    });
  });

  it("HeartbeatSeconds: no heartbeat times the task out with States.HeartbeatTimeout; heartbeats keep it alive", async () => {
    const arn = await machine(
      callbackMachine({ HeartbeatSeconds: 1 }, [
        { ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Caught" },
      ]),
    );
    const silent = await start(arn, { id: "silent" });
    const alive = await start(arn, { id: "alive" });
    const aliveToken = await tokenFor("alive");
    let beating = true;
    const beats = (async () => {
      while (beating) {
        await h.sfn.send(new SendTaskHeartbeatCommand({ taskToken: aliveToken }));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const beganAt = Date.now();
    const silentDone = await finished(silent);
    expect(JSON.parse(silentDone.output as string).failure.Error).toBe("States.HeartbeatTimeout");
    // Alive for more than two heartbeat windows, far past the first deadline.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2300 - (Date.now() - beganAt))));
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn: alive }))).status).toBe("RUNNING");
    beating = false;
    await beats;
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: aliveToken, output: '"still here"' }));
    expect(JSON.parse((await finished(alive)).output as string).answer).toBe("still here");
  });

  it("events:putEvents.waitForTaskToken puts the token in the event and waits for it", async () => {
    const arn = await machine({
      StartAt: "Ask",
      States: {
        Ask: {
          Type: "Task",
          Resource: "arn:aws:states:::events:putEvents.waitForTaskToken",
          Parameters: {
            Entries: [
              {
                Source: "acme.test",
                DetailType: "Ask",
                Detail: { "token.$": "$$.Task.Token", "note.$": "States.Format('token={}', $$.Task.Token)" },
              },
            ],
          },
          End: true,
        },
      },
    });
    const executionArn = await start(arn);
    const event = await until(() => h.events.find((e) => e.DetailType === "Ask"));
    const detail = JSON.parse(event.Detail as string);
    expect(detail.note).toBe(`token=${detail.token}`);
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: detail.token, output: '{"ok":true}' }));
    expect(JSON.parse((await finished(executionArn)).output as string)).toEqual({ ok: true });
  });
});

describe("history, stop and concurrency", () => {
  it("GetExecutionHistory lists AWS-shaped events in order, reversed and paginated", async () => {
    const arn = await machine({
      StartAt: "Prepare",
      States: {
        Prepare: { Type: "Pass", Result: { proposalId: "p-2" }, Next: "Screen" },
        Screen: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "screen", "Payload.$": "$" },
          ResultSelector: { "eligible.$": "$.Payload.eligible" },
          Next: "Eligible?",
        },
        "Eligible?": {
          Type: "Choice",
          Choices: [{ Variable: "$.eligible", BooleanEquals: true, Next: "Pause" }],
          Default: "No",
        },
        Pause: { Type: "Wait", Seconds: 0, Next: "Yes" },
        Yes: { Type: "Succeed" },
        No: { Type: "Fail", Error: "NotEligible" },
      },
    });
    const executionArn = await start(arn);
    expect((await finished(executionArn)).status).toBe("SUCCEEDED");
    const events = await historyOf(executionArn);
    expect(events.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[1]?.previousEventId).toBe(1);
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    expect(events[0]?.executionStartedEventDetails).toMatchObject({ input: "{}", roleArn: ROLE });
    expect(events[3]?.stateEnteredEventDetails).toEqual({
      name: "Screen",
      input: '{"proposalId":"p-2"}',
      inputDetails: { truncated: false },
    });
    expect(events[4]?.taskScheduledEventDetails).toMatchObject({
      resourceType: "lambda",
      resource: "invoke",
      region: "us-east-1",
    });
    expect(JSON.parse(events[4]?.taskScheduledEventDetails?.parameters as string)).toEqual({
      FunctionName: "screen",
      Payload: { proposalId: "p-2" },
    });
    expect(JSON.parse(events.at(-1)?.executionSucceededEventDetails?.output as string)).toEqual({
      eligible: true,
    });

    const reversed = await h.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(reversed.events?.map((e) => e.type)).toEqual(["ExecutionSucceeded", "SucceedStateExited"]);
    const page2 = await h.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 2,
        nextToken: reversed.nextToken,
      }),
    );
    expect(page2.events?.map((e) => e.type)).toEqual(["SucceedStateEntered", "WaitStateExited"]);
  });

  it("pages the history exactly across journal entries and the closing events, both ways", async () => {
    // Entries: the callback's start and its submission are flushed on their own, its answer
    // with the Wait's entry; the Map's events close the execution in its row a second later.
    const arn = await machine({
      StartAt: "Before",
      States: {
        Before: { Type: "Pass", Next: "Await" },
        Await: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
          Parameters: { FunctionName: "notify", Payload: { "token.$": "$$.Task.Token", "id.$": "$.id" } },
          ResultPath: "$.answer",
          Next: "Pause",
        },
        Pause: { Type: "Wait", Seconds: 1, Next: "Spread" },
        Spread: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: { StartAt: "Each", States: { Each: { Type: "Pass", End: true } } },
          ResultPath: "$.spread",
          End: true,
        },
      },
    });
    const executionArn = await start(arn, { id: "paged", items: Array.from({ length: 12 }, (_, i) => i) });
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor("paged"), output: "{}" }));
    expect((await finished(executionArn)).status).toBe("SUCCEEDED");
    const all = await historyOf(executionArn);
    expect(all.map((e) => e.id)).toEqual(all.map((_, index) => index + 1));
    expect(all.at(-1)?.type).toBe("ExecutionSucceeded");
    for (const reverseOrder of [false, true]) {
      for (const maxResults of [1, 4, 7]) {
        const paged: HistoryEvent[] = [];
        let nextToken: string | undefined;
        do {
          const page = await h.sfn.send(
            new GetExecutionHistoryCommand({ executionArn, maxResults, reverseOrder, nextToken }),
          );
          expect(page.events?.length).toBeLessThanOrEqual(maxResults);
          paged.push(...(page.events ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        expect(paged.map((e) => e.id)).toEqual((reverseOrder ? [...all].reverse() : all).map((e) => e.id));
      }
    }
  });

  it("StopExecution aborts: the execution is ABORTED, its token is dead, ListExecutions filters by status", async () => {
    const arn = await machine(callbackMachine());
    const executionArn = await start(arn, { id: "stop" });
    const token = await tokenFor("stop");
    const stopped = await h.sfn.send(
      new StopExecutionCommand({ executionArn, error: "Withdrawn", cause: "applicant withdrew" }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: "ABORTED", error: "Withdrawn", cause: "applicant withdrew" });
    const last = (await historyOf(executionArn)).at(-1);
    expect(last).toMatchObject({
      type: "ExecutionAborted",
      executionAbortedEventDetails: { error: "Withdrawn", cause: "applicant withdrew" },
    });
    await expect(
      h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })),
    ).rejects.toMatchObject({
      name: "TaskTimedOut",
    });
    const aborted = await h.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "ABORTED" }),
    );
    expect(aborted.executions?.map((e) => e.executionArn)).toEqual([executionArn]);
    const running = await h.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "RUNNING" }),
    );
    expect(running.executions).toEqual([]);
  });

  it("execution-level TimeoutSeconds times the execution out", async () => {
    const arn = await machine({ ...callbackMachine(), TimeoutSeconds: 1 });
    const executionArn = await start(arn, { id: "slow" });
    const done = await finished(executionArn);
    expect(done).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect((await historyOf(executionArn)).at(-1)?.type).toBe("ExecutionTimedOut");
  });

  it("runs Map, Parallel and Retry through the interpreter, with tasks inside them", async () => {
    const arn = await machine({
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: {
            StartAt: "Inner",
            States: {
              Inner: {
                Type: "Task",
                Resource: "arn:aws:states:::lambda:invoke",
                Parameters: { FunctionName: "echo", "Payload.$": "$" },
                OutputPath: "$.Payload.echoed",
                End: true,
              },
            },
          },
          ResultPath: "$.mapped",
          Next: "Both",
        },
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Left", States: { Left: { Type: "Pass", Result: "left", End: true } } },
            {
              StartAt: "Right",
              States: {
                Right: {
                  Type: "Task",
                  Resource: "arn:aws:lambda:us-east-1:000000000000:function:flaky",
                  Parameters: { key: "parallel" },
                  Retry: [{ ErrorEquals: ["Glitch"], IntervalSeconds: 0, MaxAttempts: 3 }],
                  End: true,
                },
              },
            },
          ],
          ResultPath: "$.both",
          Next: "Again",
        },
        Again: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:000000000000:function:flaky",
          Parameters: { key: "top" },
          Retry: [{ ErrorEquals: ["Glitch"], IntervalSeconds: 0, MaxAttempts: 3 }],
          ResultPath: "$.again",
          End: true,
        },
      },
    });
    const executionArn = await start(arn, { items: [1, 2, 3] });
    const done = await finished(executionArn);
    expect(JSON.parse(done.output as string)).toEqual({
      items: [1, 2, 3],
      mapped: [1, 2, 3],
      both: ["left", { attempts: 3 }],
      again: { attempts: 3 },
    });
    const types = (await historyOf(executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === "MapIterationStarted")).toHaveLength(3);
    expect(types.filter((t) => t === "LambdaFunctionFailed")).toHaveLength(4);
    expect(types).toContain("ParallelStateSucceeded");
  });

  it("passes the context object ($$.Execution.*, $$.StateMachine.*)", async () => {
    const arn = await machine({
      StartAt: "Ctx",
      States: {
        Ctx: {
          Type: "Pass",
          Parameters: {
            "id.$": "$$.Execution.Id",
            "name.$": "$$.Execution.Name",
            "input.$": "$$.Execution.Input",
            "machine.$": "$$.StateMachine.Name",
            "start.$": "$$.Execution.StartTime",
          },
          End: true,
        },
      },
    });
    const executionArn = await start(arn, { a: 1 }, "ctx-run");
    const done = await finished(executionArn);
    const output = JSON.parse(done.output as string);
    expect(output).toMatchObject({
      id: executionArn,
      name: "ctx-run",
      input: { a: 1 },
      machine: arn.split(":").at(-1),
    });
    expect(Date.parse(output.start)).toBe(done.startDate?.getTime());
  });

  it("runs many executions at once; a slow one does not hold the others", async () => {
    const slowArn = await machine({
      StartAt: "Slow",
      States: {
        Slow: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "slow" },
          End: true,
        },
      },
    });
    const fastArn = await machine({
      StartAt: "Echo",
      States: {
        Echo: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "echo", "Payload.$": "$" },
          End: true,
        },
      },
    });
    const slow = await start(slowArn);
    await until(() => lambda.callsOf("slow").length > 0);
    const fast = await Promise.all(Array.from({ length: 20 }, (_, i) => start(fastArn, { i })));
    const outputs = await Promise.all(
      fast.map(async (arn) => JSON.parse((await finished(arn)).output as string).Payload),
    );
    expect(outputs).toEqual(Array.from({ length: 20 }, (_, i) => ({ echoed: { i } })));
    // All twenty finished while the slow one is still inside its Lambda.
    expect((await h.sfn.send(new DescribeExecutionCommand({ executionArn: slow }))).status).toBe("RUNNING");
    openGate();
    expect((await finished(slow)).status).toBe("SUCCEEDED");
  });
});

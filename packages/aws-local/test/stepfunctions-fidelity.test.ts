// What AWS Step Functions does with JSONPath definitions, checked through the edge's SFN API:
// one `describe` per behaviour the interpreter used to get wrong. Each expectation names the
// AWS documentation page (or AWS-recorded result) it follows.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "./support/dynamo.js";
import { FakeLambda, ok, type SfnHarness, startSfn, uniqueName, until } from "./support/sfn-harness.js";

const ROLE = "arn:aws:iam::000000000000:role/test";

let dynamo: TestDynamo;
let h: SfnHarness;
const attempts = new Map<string, number>();
const lambda = new FakeLambda({
  // Fails once per key, then succeeds; answers with what it was sent.
  once: (payload) => {
    const key = String((payload as { key: string }).key);
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
    return (attempts.get(key) ?? 0) === 1
      ? { ok: false, errorType: "Glitch", errorMessage: "try again" }
      : ok(payload);
  },
  receive: () => ok({ queued: true }),
});

beforeAll(async () => {
  dynamo = await startTestDynamo();
  h = await startSfn(dynamo, { lambda });
});
afterAll(async () => {
  await h?.kill();
  await dynamo?.stop();
});

const machine = async (definition: object) => {
  const created = await h.sfn.send(
    new CreateStateMachineCommand({
      name: uniqueName("fidelity"),
      definition: JSON.stringify(definition),
      roleArn: ROLE,
    }),
  );
  return created.stateMachineArn as string;
};

const start = async (definition: object, input: unknown = {}) => {
  const stateMachineArn = await machine(definition);
  const started = await h.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name: uniqueName("run") }),
  );
  return { stateMachineArn, executionArn: started.executionArn as string };
};

const run = async (definition: object, input: unknown = {}) => {
  const { stateMachineArn, executionArn } = await start(definition, input);
  await h.emulator.waitForExecution(executionArn, 15_000);
  const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
  return { stateMachineArn, executionArn, described };
};

const historyOf = async (executionArn: string): Promise<HistoryEvent[]> =>
  (await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];

/** The output of one Pass state whose Parameters are `parameters`, run on `input`. */
const passOutput = async (parameters: object, input: unknown = {}) => {
  const { described } = await run(
    { StartAt: "P", States: { P: { Type: "Pass", Parameters: parameters, End: true } } },
    input,
  );
  expect(described.status, `${described.error}: ${described.cause}`).toBe("SUCCEEDED");
  return JSON.parse(described.output as string);
};

// "Choice workflow state": IsNull, IsPresent, IsNumeric, IsString, IsBoolean and IsTimestamp
// test the type; with `false` the rule holds when the type test does not.
describe("Choice type tests with false", () => {
  const input = { s: "text", n: 7, b: true, z: null, t: "2026-11-30T12:00:00Z" };
  const cases: Array<{ rule: Record<string, unknown>; matches: boolean }> = [
    { rule: { Variable: "$.s", IsNull: false }, matches: true },
    { rule: { Variable: "$.z", IsNull: false }, matches: false },
    { rule: { Variable: "$.s", IsBoolean: false }, matches: true },
    { rule: { Variable: "$.b", IsBoolean: false }, matches: false },
    { rule: { Variable: "$.s", IsNumeric: false }, matches: true },
    { rule: { Variable: "$.n", IsNumeric: false }, matches: false },
    { rule: { Variable: "$.n", IsString: false }, matches: true },
    { rule: { Variable: "$.s", IsString: false }, matches: false },
    { rule: { Variable: "$.s", IsTimestamp: false }, matches: true },
    { rule: { Variable: "$.t", IsTimestamp: false }, matches: false },
    { rule: { Variable: "$.missing", IsPresent: false }, matches: true },
    { rule: { Variable: "$.s", IsPresent: false }, matches: false },
  ];

  it("takes the rule exactly when the value is not of the type (and not otherwise)", async () => {
    const states: Record<string, object> = {};
    cases.forEach(({ rule, matches }, i) => {
      const next = i + 1 < cases.length ? `Check${i + 1}` : "Done";
      const label = `${Object.keys(rule)[1]}-false-on-${String(rule.Variable).slice(2)}`;
      states[`Check${i}`] = {
        Type: "Choice",
        Choices: [{ ...rule, Next: matches ? next : `Wrong${i}` }],
        Default: matches ? `Wrong${i}` : next,
      };
      states[`Wrong${i}`] = { Type: "Fail", Error: "WrongBranch", Cause: label };
    });
    states.Done = { Type: "Succeed" };
    const { described } = await run({ StartAt: "Check0", States: states }, input);
    expect(described.cause).toBeUndefined();
    expect(described.status).toBe("SUCCEEDED");
  });
});

// "Intrinsic functions for JSONPath states in Step Functions", States.MathAdd: arguments are
// integers, and a non-integer argument is rounded to the nearest integer first (AWS runs on
// Java: half rounds up, so -1.5 becomes -1).
describe("States.MathAdd with decimals", () => {
  it("rounds each argument to an integer before adding", async () => {
    const output = await passOutput(
      { "sum.$": "States.MathAdd($.a, $.b)", "mixed.$": "States.MathAdd($.c, $.d)" },
      { a: 1.49, b: 1.5, c: 2.5, d: -1.5 },
    );
    expect(output).toEqual({ sum: 3, mixed: 2 });
  });
});

// "Using JSONPath paths" (paths, as opposed to reference paths, may use wildcards, slices and
// filters) and the AWS result for an indefinite path that selects nothing: an empty list.
// Covered here: InputPath, OutputPath and `.$` values of Parameters and ResultSelector, and
// intrinsic arguments; a definite path that selects nothing still fails with States.Runtime.
describe("indefinite paths with no match", () => {
  it("yields [] for a wildcard, a slice or a filter that selects nothing", async () => {
    const output = await passOutput(
      {
        "wildcard.$": "$.items[*]",
        "slice.$": "$.items[2:]",
        "filter.$": "$.list[?(@.keep == true)]",
        "deep.$": "$.list[*].name",
      },
      { list: [{ keep: false }] },
    );
    expect(output).toEqual({ wildcard: [], slice: [], filter: [], deep: [] });
  });

  it("yields [] through InputPath, ResultSelector and OutputPath", async () => {
    const { executionArn, described } = await run(
      {
        StartAt: "In",
        States: {
          In: { Type: "Pass", InputPath: "$.items[*]", Next: "Select" },
          Select: {
            Type: "Parallel",
            Branches: [{ StartAt: "Echo", States: { Echo: { Type: "Pass", End: true } } }],
            ResultSelector: { "echoed.$": "$[0]", "none.$": "$[*].y" },
            Next: "Out",
          },
          Out: { Type: "Pass", OutputPath: "$.none[*]", End: true },
        },
      },
      {},
    );
    expect(described.status, `${described.error}: ${described.cause}`).toBe("SUCCEEDED");
    expect(JSON.parse(described.output as string)).toEqual([]);
    const selected = (await historyOf(executionArn)).find(
      (e) => e.type === "ParallelStateExited" && e.stateExitedEventDetails?.name === "Select",
    );
    expect(JSON.parse(selected?.stateExitedEventDetails?.output as string)).toEqual({ echoed: [], none: [] });
  });

  it("still fails with States.Runtime for a definite path that selects nothing", async () => {
    const { described } = await run({
      StartAt: "P",
      States: { P: { Type: "Pass", Parameters: { "v.$": "$.missing" }, End: true } },
    });
    expect(described.status).toBe("FAILED");
    expect(described.error).toBe("States.Runtime");
  });
});

// "Intrinsic functions for JSONPath states in Step Functions", States.StringSplit: the second
// argument is the set of delimiting characters (AWS's example splits "This.is+a,test=string" on
// ".+,="), and the result holds no empty strings.
describe("States.StringSplit", () => {
  it("splits on each delimiter character and drops empty strings", async () => {
    const output = await passOutput(
      {
        "chars.$": "States.StringSplit($.text, $.splitter)",
        "empties.$": "States.StringSplit($.csv, ',')",
      },
      { text: "This.is+a,test=string", splitter: ".+,=", csv: ",a,,b," },
    );
    expect(output).toEqual({ chars: ["This", "is", "a", "test", "string"], empties: ["a", "b"] });
  });
});

// "Intrinsic functions": in a string literal `\'`, `\{`, `\}` and `\\` are escapes; backslashes in
// values (a JSON text, a Windows path) are data and stay.
describe("backslashes in intrinsic functions", () => {
  it("keeps them in results and resolves only the literals' escapes", async () => {
    const output = await passOutput(
      {
        "json.$": "States.JsonToString($.quoted)",
        "path.$": "States.Format('dir: {}', $.path)",
        "braces.$": "States.Format('literal \\{\\} then {}', $.path)",
        "quote.$": "States.Format('it\\'s {}', $.word)",
      },
      { quoted: { q: 'say "hi"' }, path: "C:\\temp", word: "fine" },
    );
    expect(JSON.parse(output.json)).toEqual({ q: 'say "hi"' });
    expect(output.path).toBe("dir: C:\\temp");
    expect(output.braces).toBe("literal {} then C:\\temp");
    expect(output.quote).toBe("it's fine");
  });
});

// "Processing input and output: ResultPath": `"ResultPath": "$"` makes the state's result its
// whole output, the input discarded.
describe("ResultPath $", () => {
  it("replaces the input with the result", async () => {
    const { described } = await run(
      { StartAt: "P", States: { P: { Type: "Pass", Result: { r: 1 }, ResultPath: "$", End: true } } },
      { a: 1 },
    );
    expect(JSON.parse(described.output as string)).toEqual({ r: 1 });
  });
});

// States.StringToJson on an empty (or blank) string is null on AWS, not a parse error (recorded
// on AWS in LocalStack's validated snapshots; the docs do not say).
describe("States.StringToJson of an empty string", () => {
  it("gives null", async () => {
    const output = await passOutput(
      { "empty.$": "States.StringToJson($.empty)", "blank.$": "States.StringToJson($.blank)" },
      { empty: "", blank: "  " },
    );
    expect(output).toEqual({ empty: null, blank: null });
  });
});

// States.Format accepts any JSON value; AWS renders objects and arrays the way Java prints maps
// and lists: `{Arg1=1, Arg2=[]}` (recorded on AWS), strings inside them unquoted.
describe("States.Format with objects and arrays", () => {
  it("renders them as AWS does", async () => {
    const { stateMachineArn, described } = await run(
      {
        StartAt: "P",
        States: {
          P: {
            Type: "Pass",
            Parameters: {
              "obj.$": "States.Format('fst={} and snd={}', $.obj, $.list)",
              "machine.$": "States.Format('{}', $$.StateMachine)",
            },
            End: true,
          },
        },
      },
      { obj: { Arg1: 1, Arg2: [] }, list: ["a", 2, null, { b: true }] },
    );
    expect(described.status, `${described.error}: ${described.cause}`).toBe("SUCCEEDED");
    expect(JSON.parse(described.output as string)).toEqual({
      obj: "fst={Arg1=1, Arg2=[]} and snd=[a, 2, null, {b=true}]",
      machine: `{Id=${stateMachineArn}, Name=${stateMachineArn.split(":").at(-1)}}`,
    });
  });
});

// "Fail workflow state": Error and Cause are optional; without them the execution fails with
// neither (DescribeExecution has no error/cause, ExecutionFailed has empty details).
describe("Fail state without Error or Cause", () => {
  it("fails the execution with no error and no cause", async () => {
    const { executionArn, described } = await run({ StartAt: "F", States: { F: { Type: "Fail" } } });
    expect(described.status).toBe("FAILED");
    expect(described.error).toBeUndefined();
    expect(described.cause).toBeUndefined();
    const failed = (await historyOf(executionArn)).at(-1);
    expect(failed?.type).toBe("ExecutionFailed");
    expect(failed?.executionFailedEventDetails?.error).toBeUndefined();
    expect(failed?.executionFailedEventDetails?.cause).toBeUndefined();
  });
});

// "Fail workflow state": ErrorPath and CausePath take a reference path or an intrinsic function
// that returns a string (States.Format, States.JsonToString, States.ArrayGetItem, ...).
describe("Fail state ErrorPath and CausePath with intrinsic functions", () => {
  it("evaluates the intrinsic functions", async () => {
    const { described } = await run(
      {
        StartAt: "F",
        States: {
          F: {
            Type: "Fail",
            ErrorPath: "States.Format('{}Exceeded', $.kind)",
            CausePath: "States.JsonToString($.detail)",
          },
        },
      },
      { kind: "Quota", detail: { proposalId: "p-1" } },
    );
    expect(described.status).toBe("FAILED");
    expect(described.error).toBe("QuotaExceeded");
    expect(described.cause).toBe('{"proposalId":"p-1"}');
  });
});

// "Accessing execution data from the Context object in Step Functions": Execution, State,
// StateMachine and (only for a .waitForTaskToken task) Task.
describe("the context object", () => {
  it("is exactly the AWS one, with nothing of the emulator's", async () => {
    const input = { a: 1 };
    const { stateMachineArn, executionArn, described } = await run(
      { StartAt: "Ctx", States: { Ctx: { Type: "Pass", InputPath: "$$", End: true } } },
      input,
    );
    expect(described.status, `${described.error}: ${described.cause}`).toBe("SUCCEEDED");
    const context = JSON.parse(described.output as string);
    expect(context).toEqual({
      Execution: {
        Id: executionArn,
        Input: input,
        Name: executionArn.split(":").at(-1),
        RoleArn: ROLE,
        StartTime: described.startDate?.toISOString(),
        RedriveCount: 0,
      },
      State: { Name: "Ctx", EnteredTime: expect.any(String), RetryCount: 0 },
      StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(":").at(-1) },
    });
    const entered = Date.parse(context.State.EnteredTime);
    expect(entered).toBeGreaterThanOrEqual(described.startDate?.getTime() ?? Number.NaN);
    expect(entered).toBeLessThanOrEqual(described.stopDate?.getTime() ?? Number.NaN);
  });

  it("names each state and counts its retries", async () => {
    const key = uniqueName("retry");
    const { described } = await run(
      {
        StartAt: "First",
        States: {
          First: {
            Type: "Pass",
            Parameters: { "state.$": "$$.State.Name", "key.$": "$.key" },
            Next: "Call",
          },
          Call: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: {
              FunctionName: "once",
              Payload: { "key.$": "$.key", "state.$": "$$.State.Name", "retries.$": "$$.State.RetryCount" },
            },
            Retry: [{ ErrorEquals: ["Glitch"], IntervalSeconds: 0, MaxAttempts: 2 }],
            ResultSelector: { "payload.$": "$.Payload" },
            End: true,
          },
        },
      },
      { key },
    );
    expect(described.status, `${described.error}: ${described.cause}`).toBe("SUCCEEDED");
    expect(JSON.parse(described.output as string)).toEqual({
      payload: { key, state: "Call", retries: 1 },
    });
    expect(lambda.callsOf("once").filter((c) => (c.payload as { key: string }).key === key)).toEqual([
      { name: "once", payload: { key, state: "Call", retries: 0 } },
      { name: "once", payload: { key, state: "Call", retries: 1 } },
    ]);
  });

  it("keeps the execution's input inside a Map iteration", async () => {
    const output = await run(
      {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemProcessor: {
              StartAt: "Item",
              States: {
                Item: {
                  Type: "Pass",
                  Parameters: { "item.$": "$", "input.$": "$$.Execution.Input", "state.$": "$$.State.Name" },
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      },
      { items: [1, 2] },
    );
    expect(output.described.status, `${output.described.error}: ${output.described.cause}`).toBe("SUCCEEDED");
    expect(JSON.parse(output.described.output as string)).toEqual([
      { item: 1, input: { items: [1, 2] }, state: "Item" },
      { item: 2, input: { items: [1, 2] }, state: "Item" },
    ]);
  });

  it("has no Task outside a .waitForTaskToken task", async () => {
    const { described } = await run({
      StartAt: "P",
      States: { P: { Type: "Pass", Parameters: { "token.$": "$$.Task.Token" }, End: true } },
    });
    expect(described.status).toBe("FAILED");
    expect(described.error).toBe("States.Runtime");
  });

  it("keeps a state's entry time and retry count when a restart resumes it", async () => {
    const key = uniqueName("resumed");
    const received = (attempt: number) =>
      until(
        () => lambda.callsOf("receive").filter((c) => (c.payload as { key?: string }).key === key)[attempt],
      );
    const { executionArn } = await start(
      {
        StartAt: "Await",
        States: {
          Await: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
            Parameters: {
              FunctionName: "receive",
              Payload: {
                "token.$": "$$.Task.Token",
                "key.$": "$.key",
                "entered.$": "$$.State.EnteredTime",
                "retries.$": "$$.State.RetryCount",
              },
            },
            Retry: [{ ErrorEquals: ["Glitch"], IntervalSeconds: 0, MaxAttempts: 1 }],
            ResultSelector: { "entered.$": "$$.State.EnteredTime", "retries.$": "$$.State.RetryCount" },
            End: true,
          },
        },
      },
      { key },
    );
    const first = (await received(0)).payload as { token: string; entered: string; retries: number };
    await h.sfn.send(new SendTaskFailureCommand({ taskToken: first.token, error: "Glitch" }));
    const second = (await received(1)).payload as { token: string; entered: string; retries: number };
    expect(second).toMatchObject({ entered: first.entered, retries: 1 });
    await until(
      async () => (await historyOf(executionArn)).filter((e) => e.type === "TaskSubmitted").length === 2,
    );

    await h.kill();
    h = await startSfn(dynamo, { lambda });
    await h.emulator.resume();
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: second.token, output: "{}" }));
    const record = await h.emulator.waitForExecution(executionArn, 15_000);
    expect(record.status).toBe("SUCCEEDED");
    expect(JSON.parse(record.output as string)).toEqual({ entered: first.entered, retries: 1 });
  });
});

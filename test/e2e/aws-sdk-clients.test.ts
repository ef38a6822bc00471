import { topology } from "@allot/stacks";
import {
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeProcess, startRuntimeProcess } from "../support/runtime.js";

// The real AWS SDK clients against `npm start`, with nothing changed but the endpoint.

let runtime: RuntimeProcess;
const config = () => ({
  endpoint: runtime.edge,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
beforeAll(async () => {
  runtime = await startRuntimeProcess();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

describe("the AWS edge, through the real SDK clients", () => {
  it("EventBridge: the bus, its rules from stacks/, pattern tests and per-entry PutEvents results", async () => {
    const events = new EventBridgeClient(config());
    const bus = await events.send(new DescribeEventBusCommand({ Name: "allot" }));
    expect(bus.Arn).toContain(":event-bus/allot");
    const { Rules } = await events.send(new ListRulesCommand({ EventBusName: "allot", Limit: 100 }));
    expect(Rules?.map((r) => r.Name).sort()).toEqual(topology.rules.map((r) => r.name).sort());
    const rule = await events.send(
      new DescribeRuleCommand({ EventBusName: "allot", Name: "start-review-on-submission" }),
    );
    expect(JSON.parse(rule.EventPattern ?? "{}")).toEqual(
      topology.rules.find((r) => r.name === rule.Name)?.pattern,
    );
    const tested = await events.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: [{ prefix: "allot." }] }),
        Event: JSON.stringify({
          id: "1",
          account: "000000000000",
          source: "allot.usage",
          time: "2026-11-28T10:00:00Z",
          region: "us-east-1",
          "detail-type": "Usage Recorded",
          detail: {},
        }),
      }),
    );
    expect(tested.Result).toBe(true);
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: "allot", Source: "integration.test", DetailType: "Ping", Detail: "{}" },
          { EventBusName: "allot", Source: "integration.test", DetailType: "Ping", Detail: "not json" },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(1);
    expect(put.Entries?.[0]?.EventId).toBeTruthy();
    expect(put.Entries?.[1]?.ErrorCode).toBeTruthy();
    events.destroy();
  });

  it("Step Functions: the machines from stacks/, described and listed", async () => {
    const sfn = new SFNClient(config());
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    // ListStateMachines promises no order (the emulator lists by name).
    expect(stateMachines?.map((m) => m.name).sort()).toEqual(
      topology.stateMachines.map((m) => m.name).sort(),
    );
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: stateMachines?.[0]?.stateMachineArn }),
    );
    expect(described.type).toBe("STANDARD");
    expect(JSON.parse(described.definition ?? "{}").StartAt).toBeTruthy();
    const executions = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: described.stateMachineArn }),
    );
    expect(Array.isArray(executions.executions)).toBe(true);
    sfn.destroy();
  });

  it("Lambda: Invoke runs a function declared in stacks/ with a real-shaped event", async () => {
    const lambda = new LambdaClient(config());
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: "openapi",
        Payload: Buffer.from(
          JSON.stringify({ version: "2.0", routeKey: "GET /openapi.json", requestContext: {} }),
        ),
      }),
    );
    expect(out.StatusCode).toBe(200);
    const response = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString("utf8"));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).openapi).toBe("3.1.0");
    const missing = await lambda
      .send(new InvokeCommand({ FunctionName: "no-such-function" }))
      .catch((e) => e);
    expect(missing.name).toBe("ResourceNotFoundException");
    lambda.destroy();
  });
});

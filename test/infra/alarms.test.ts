import { topology } from "@allot/stacks";
import { describe, expect, it } from "vitest";
import { ALARM_THRESHOLDS, type AlarmPlan, type Plan, planDeployment } from "../../infra/plan.js";

// What an operator is woken up for: every function, queue, machine and stream consumer of the
// stage has its alarms (program.test.ts checks they all notify the stage's one topic).

const plan = planDeployment(topology, { stage: "production" });

const on = (alarm: AlarmPlan, kind: string, name: string) => {
  const value = alarm.dimension.value;
  if (!("ref" in value)) return false;
  const ref = value.ref as { kind: string } & Record<string, unknown>;
  return ref.kind === kind && ref[kind] === name;
};

/** Every resource the plan creates that lacks one of its alarms, as "what: metric". */
const alarmGaps = (p: Plan): string[] => {
  const has = (kind: string, name: string, metric: string) =>
    p.alarms.some((a) => a.metricName === metric && on(a, kind, name));
  const gaps: string[] = [];
  for (const fn of p.functions)
    for (const metric of ["Errors", "Throttles"])
      if (!has("function", fn.name, metric)) gaps.push(`function ${fn.name}: ${metric}`);
  for (const queue of p.queues)
    if (!has("queue", queue.id, "ApproximateNumberOfMessagesVisible")) gaps.push(`queue ${queue.id}: depth`);
  for (const machine of p.stateMachines)
    for (const metric of ["ExecutionsFailed", "ExecutionsTimedOut"])
      if (!has("stateMachine", machine.name, metric)) gaps.push(`machine ${machine.name}: ${metric}`);
  for (const sub of p.streamSubscriptions)
    if (!has("function", sub.function, "IteratorAge")) gaps.push(`stream ${sub.name}: IteratorAge`);
  for (const metric of ["5xx", "Latency"])
    if (!p.alarms.some((a) => a.namespace === "AWS/ApiGateway" && a.metricName === metric))
      gaps.push(`api: ${metric}`);
  return gaps;
};

describe("alarms", () => {
  it("cover every function, queue, state machine, stream consumer and the HTTP API", () => {
    expect(plan.functions.length).toBeGreaterThan(0);
    expect(plan.streamSubscriptions.length).toBeGreaterThan(0);
    expect(alarmGaps(plan)).toEqual([]);
  });

  it("would report a resource left without its alarm (the check can fail)", () => {
    const fn = plan.functions[0]?.name ?? "";
    const sub = plan.streamSubscriptions[0];
    const planted: Plan = {
      ...plan,
      alarms: plan.alarms.filter(
        (a) =>
          !(a.metricName === "Throttles" && on(a, "function", fn)) &&
          !(a.metricName === "IteratorAge" && on(a, "function", sub?.function ?? "")) &&
          a.metricName !== "Latency",
      ),
    };
    expect(alarmGaps(planted)).toEqual(
      expect.arrayContaining([
        `function ${fn}: Throttles`,
        `stream ${sub?.name}: IteratorAge`,
        "api: Latency",
      ]),
    );
  });

  it("has unique logical names, and uses the named thresholds", () => {
    const names = plan.alarms.map((a) => a.logicalName);
    expect(new Set(names).size).toBe(names.length);
    const api5xx = plan.alarms.find((a) => a.metricName === "5xx");
    expect(api5xx).toMatchObject({ statistic: "Average", threshold: ALARM_THRESHOLDS.api5xxRate });
    const latency = plan.alarms.find((a) => a.metricName === "Latency");
    expect(latency).toMatchObject({
      statistic: "p99",
      threshold: ALARM_THRESHOLDS.apiP99LatencyMs,
      evaluationPeriods: ALARM_THRESHOLDS.apiLatencyPeriods,
    });
    // Fires long before the stream mapping gives up on a record.
    for (const sub of plan.streamSubscriptions)
      expect(ALARM_THRESHOLDS.iteratorAgeMs).toBeLessThan(sub.maximumRecordAgeSeconds * 1000);
  });

  it("trace every function and state machine, and log no execution data", () => {
    for (const fn of plan.functions)
      expect(fn.telemetry, fn.name).toEqual({
        tracing: "Active",
        serviceName: fn.name,
        metricsNamespace: "allot/production",
      });
    for (const machine of plan.stateMachines) {
      expect(machine.tracing).toBe(true);
      expect(machine.logging).toMatchObject({ level: "ERROR", includeExecutionData: false });
    }
  });
});

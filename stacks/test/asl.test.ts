import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { WorkflowErrors } from "@allot/core";
import { describe, expect, it } from "vitest";
import { LAMBDA_TRANSIENT_RETRY, template } from "../src/asl/states.js";
import { allStates, functionsOf } from "../src/asl/walk.js";
import { topology } from "../src/index.js";

const root = resolve(import.meta.dirname, "../..");
const machine = (name: string) => {
  const found = topology.stateMachines.find((m) => m.name === name);
  if (!found) throw new Error(`no state machine ${name}`);
  return found;
};
const tasks = (definition: Record<string, unknown>) =>
  allStates(definition).filter(([, state]) => state.Type === "Task");

describe("the ASL builder", () => {
  it("turns values starting with $ into paths and keeps the others literal, at any depth", () => {
    expect(
      template({ proposalId: "$.proposalId", reason: "late", n: 2, nested: { token: "$$.Task.Token" } }),
    ).toEqual({
      "proposalId.$": "$.proposalId",
      reason: "late",
      n: 2,
      nested: { "token.$": "$$.Task.Token" },
    });
  });

  it("retries Lambda's transient errors in every task, with the one policy, after the task's own retriers", () => {
    for (const spec of topology.stateMachines) {
      for (const [name, state] of tasks(spec.definition)) {
        expect((state.Retry as unknown[]).at(-1), `${spec.name}.${name}`).toEqual(LAMBDA_TRANSIENT_RETRY);
      }
    }
  });

  it("derives each machine's functions from its tasks, inside Map processors too", () => {
    expect(functionsOf(machine("proposal-review").definition)).toEqual(
      expect.arrayContaining([
        "screen-proposal",
        "await-review",
        "remind-reviewer",
        "replace-reviewer",
        "commit-award",
      ]),
    );
    for (const spec of topology.stateMachines) expect(spec.functions).toEqual(functionsOf(spec.definition));
  });

  it("splits the proposal's workflow where the domain splits: review up to the committed decision, then the award", () => {
    const review = machine("proposal-review").functions;
    const award = machine("award-provisioning").functions;
    expect(review.filter((name) => award.includes(name))).toEqual([]);
    expect(review).toContain("commit-award");
    expect(award).toEqual(
      expect.arrayContaining(["await-acceptance", "request-provisioning", "deprovision-award"]),
    );
  });

  it("catches and retries only error names core declares, Step Functions' own, or Lambda's transient ones", () => {
    const known = new Set<string>([...Object.values(WorkflowErrors), ...LAMBDA_TRANSIENT_RETRY.ErrorEquals]);
    for (const spec of topology.stateMachines) {
      for (const [name, state] of allStates(spec.definition)) {
        const clauses = [
          ...((state.Retry as unknown[]) ?? []),
          ...((state.Catch as unknown[]) ?? []),
        ] as Array<{
          ErrorEquals: string[];
        }>;
        for (const clause of clauses) {
          for (const error of clause.ErrorEquals) expect(known, `${spec.name}.${name}`).toContain(error);
        }
        if (state.Type === "Fail") expect(known, `${spec.name}.${name}`).toContain(state.Error);
      }
    }
  });
});

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === "node_modules" || entry === "test") return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|json)$/.test(entry) ? [path] : [];
  });

describe("workflow error names", () => {
  it("are written once, in core's workflow-errors.ts: the tasks that raise them and the machines import them", () => {
    const home = resolve(root, "packages/core/src/workflow-errors.ts");
    const files = [
      ...sources(resolve(root, "packages")),
      ...sources(resolve(root, "stacks/src")),
      ...sources(resolve(root, "infra")),
    ];
    const repeated: string[] = [];
    for (const file of files) {
      if (file === home) continue;
      const text = readFileSync(file, "utf8");
      for (const name of Object.values(WorkflowErrors)) {
        if (name.startsWith("Allot.") && text.includes(`"${name}"`))
          repeated.push(`${relative(root, file)}: ${name}`);
      }
    }
    expect(repeated).toEqual([]);
  });
});

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { topology } from "../src/index.js";
import { referencedFunctions } from "../src/state-machines/index.js";

const root = resolve(import.meta.dirname, "../..");
const functionNames = new Set(topology.functions.map((f) => f.name));

// The topology is the single description both realizations read: these checks keep it whole.
describe("stacks/ topology", () => {
  it("names each function, route, rule and machine once", () => {
    const dupes = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
    expect(dupes(topology.functions.map((f) => f.name))).toEqual([]);
    expect(dupes(topology.routes.map((r) => `${r.method} ${r.path}`))).toEqual([]);
    expect(dupes(topology.rules.map((r) => r.name))).toEqual([]);
    expect(dupes(topology.stateMachines.map((m) => m.name))).toEqual([]);
  });

  it("names the scopes of every route that admits integrations", () => {
    const unscoped = topology.routes.filter((r) => r.roles.includes("integration") && !r.scopes?.length);
    expect(unscoped.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const scopedForNoIntegration = topology.routes.filter(
      (r) => r.scopes && !r.roles.includes("integration"),
    );
    expect(scopedForNoIntegration.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it("points every handler at an existing module", () => {
    const missing = topology.functions.filter(
      (f) => !existsSync(resolve(root, f.handler.split("#")[0] as string)),
    );
    expect(missing.map((f) => f.handler)).toEqual([]);
  });

  it("refers only to declared functions, tables, buses and machines", () => {
    const tables = new Set(topology.tables.map((t) => t.name));
    const buses = new Set(topology.buses.map((b) => b.name));
    const machines = new Set(topology.stateMachines.map((m) => m.name));
    for (const route of topology.routes) expect(functionNames, `${route.path}`).toContain(route.function);
    for (const rule of topology.rules) {
      expect(buses).toContain(rule.bus);
      for (const target of rule.targets) expect(functionNames).toContain(target.function);
    }
    for (const sub of topology.streamSubscriptions) {
      expect(tables).toContain(sub.table);
      expect(functionNames).toContain(sub.function);
    }
    for (const fn of topology.functions) {
      for (const link of fn.links) {
        if (link.kind === "table") expect(tables).toContain(link.table);
        if (link.kind === "bus") expect(buses).toContain(link.bus);
        if (link.kind === "stateMachine") expect(machines).toContain(link.stateMachine);
      }
    }
  });

  it("declares exactly the functions each state machine invokes", () => {
    for (const machine of topology.stateMachines) {
      const used = [...new Set(referencedFunctions(machine))].sort();
      expect(used, machine.name).toEqual([...machine.functions].sort());
      for (const name of used) expect(functionNames).toContain(name);
    }
  });

  it("keeps JSONata out of the ASL, since the local interpreter cannot run it", () => {
    for (const machine of topology.stateMachines) {
      const text = JSON.stringify(machine.definition);
      expect(text, machine.name).not.toMatch(/"QueryLanguage"|"Assign"|"Arguments"|\{%/);
    }
  });

  it("guards every non-public route with at least one role", () => {
    for (const route of topology.routes) {
      if (!route.public) expect(route.roles.length, `${route.method} ${route.path}`).toBeGreaterThan(0);
    }
  });
});

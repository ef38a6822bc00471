// Least privilege by item: each function's DynamoDB statements against the entities its links
// declare (stacks/src/table-access.ts) and against what its handler's code can reach (a static
// reading of its imports down to keys.ts's builders), with planted over-grants that must fail.
import { type Link, type Topology, topology } from "@allot/stacks";
import { fn, tableReadWrite } from "@allot/stacks/links";
import { TABLE_ACCESS, TABLE_ENTITIES } from "@allot/stacks/table-access";
import { describe, expect, it } from "vitest";
import {
  type Plan,
  PlanError,
  planDeployment,
  TABLE_DELETE_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
} from "../../infra/plan.js";
import { entitiesReachedBy, keyBuilderPrefixes } from "./support/key-usage.js";

const plan = planDeployment(topology, { stage: "production" });

type TableLink = Extract<Link, { kind: "table" }>;
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const prefixes = (entities: Iterable<string>) => sorted([...entities].map((e) => `${e}#*`));

/**
 * What is wrong with each function's policy on its tables, given the links it declares: every
 * table statement carries a LeadingKeys condition, reads only read actions on the declared
 * entities, writes only the declared writes, deletes only the declared deletes.
 */
const policyProblems = (p: Plan, t: Topology): string[] => {
  const problems: string[] = [];
  const read = new Set<string>(TABLE_READ_ACTIONS);
  const write = new Set<string>(TABLE_WRITE_ACTIONS);
  const del = new Set<string>(TABLE_DELETE_ACTIONS);
  for (const spec of t.functions) {
    const fnPlan = p.functions.find((f) => f.name === spec.name);
    const links = spec.links.filter((l): l is TableLink => l.kind === "table");
    for (const statement of fnPlan?.statements ?? []) {
      for (const ref of statement.resources) {
        if (ref.kind !== "table") continue;
        const link = links.find((l) => l.table === ref.table);
        const where = `${spec.name}: "${statement.why}"`;
        if (!link) {
          problems.push(`${where} grants table ${ref.table}, which it does not link`);
          continue;
        }
        const condition = statement.conditions?.find((c) => c.variable === "dynamodb:LeadingKeys");
        if (condition?.test !== "ForAllValues:StringLike") {
          problems.push(`${where} is not limited by dynamodb:LeadingKeys`);
          continue;
        }
        const granted = sorted(condition.values);
        const kinds = new Set(
          statement.actions.map((a) =>
            read.has(a) ? "read" : write.has(a) ? "write" : del.has(a) ? "delete" : a,
          ),
        );
        if (kinds.size !== 1) {
          problems.push(`${where} mixes ${[...kinds].join(" and ")} actions`);
          continue;
        }
        const [kind] = kinds;
        const declared =
          kind === "read"
            ? prefixes([...(link.read ?? []), ...(link.write ?? [])])
            : kind === "write" && link.access === "readwrite"
              ? prefixes(link.write ?? [])
              : kind === "delete" && link.access === "readwrite"
                ? prefixes(link.delete ?? [])
                : undefined;
        if (!declared) {
          problems.push(`${where} grants ${kind} actions the link does not declare`);
          continue;
        }
        const over = granted.filter((g) => !declared.includes(g));
        if (over.length) problems.push(`${where} grants ${kind} on undeclared ${over.join(", ")}`);
        if (granted.some((g) => g === "*" || !/^[A-Z]+#\*$/.test(g)))
          problems.push(`${where} grants ${kind} on a value that is not one entity prefix`);
      }
    }
  }
  return problems;
};

/** Functions whose declared entities differ from what their handler's code reaches. */
const declarationMismatches = (t: Topology): string[] => {
  const mismatches: string[] = [];
  for (const spec of t.functions) {
    const link = spec.links.find((l): l is TableLink => l.kind === "table");
    if (!link) continue;
    const reached = entitiesReachedBy(spec.handler.split("#")[0] ?? "");
    const compare = (what: string, declared: string[] | undefined, found: Set<string>) => {
      const a = sorted(declared ?? []);
      const b = sorted(found);
      if (JSON.stringify(a) !== JSON.stringify(b))
        mismatches.push(
          `${spec.name} ${what}: declares ${a.join(",") || "-"}, code reaches ${b.join(",") || "-"}`,
        );
    };
    compare("read", link.read, reached.read);
    // A read-only link writes nothing whatever its code could reach (its IAM says so).
    if (link.access === "readwrite") {
      compare("write", link.write, reached.write);
      compare("delete", link.delete, reached.delete);
    }
  }
  return mismatches;
};

/** A copy of the plan with one function's statements changed. */
const planted = (name: string, change: (fn: Plan["functions"][number]) => void): Plan => {
  const copy = structuredClone(plan);
  const target = copy.functions.find((f) => f.name === name);
  if (!target) throw new Error(`no function ${name}`);
  change(target);
  return copy;
};

const readOnly = topology.functions.find((f) =>
  f.links.some((l) => l.kind === "table" && l.access === "read"),
)?.name as string;
const writer = topology.functions.find((f) =>
  f.links.some((l) => l.kind === "table" && l.access === "readwrite" && !l.write?.includes("USAGE")),
)?.name as string;

describe("least privilege by item (dynamodb:LeadingKeys per entity)", () => {
  it("the entities are the key schema's partition-key prefixes, one source", () => {
    const spelled = sorted([...keyBuilderPrefixes().values()].flatMap((s) => [...s]));
    expect(spelled).toEqual(sorted(TABLE_ENTITIES));
  });

  it("every function's table statements match the entities its links declare", () => {
    expect(policyProblems(plan, topology)).toEqual([]);
    const tableStatements = plan.functions.flatMap((f) =>
      f.statements.filter((s) => s.resources.some((r) => r.kind === "table")),
    );
    expect(tableStatements.length).toBeGreaterThan(100);
    for (const s of tableStatements) expect(s.conditions?.length, s.why).toBe(1);
  });

  it("declares exactly what each handler's code can reach (imports down to the key builders)", () => {
    expect(declarationMismatches(topology)).toEqual([]);
  });

  it("fails a planted over-grant: an entity the function does not declare", () => {
    const p = planted(readOnly, (f) => {
      const s = f.statements.find((x) => x.conditions?.length);
      s?.conditions?.[0]?.values.push("USAGE#*", "LEDGERENTRY#*");
    });
    const problems = policyProblems(p, topology).join("\n");
    expect(problems).toMatch(new RegExp(`${readOnly}: .* grants read on undeclared .*USAGE#\\*`));
  });

  it("fails a planted over-grant: write where the function declares read", () => {
    const p = planted(readOnly, (f) => {
      const s = f.statements.find((x) => x.conditions?.length);
      if (s) f.statements.push({ ...structuredClone(s), why: "planted", actions: ["dynamodb:PutItem"] });
    });
    expect(policyProblems(p, topology).join("\n")).toMatch(
      new RegExp(`${readOnly}: "planted" grants write actions the link does not declare`),
    );
  });

  it("fails a planted over-grant: write on an entity declared only for reading, or the whole table", () => {
    const widened = planted(writer, (f) => {
      const s = f.statements.find((x) => x.actions.includes("dynamodb:PutItem"));
      s?.conditions?.[0]?.values.push("USAGE#*");
    });
    expect(policyProblems(widened, topology).join("\n")).toMatch(/grants write on undeclared USAGE#\*/);
    const whole = planted(writer, (f) => {
      const s = f.statements.find((x) => x.actions.includes("dynamodb:PutItem"));
      if (s) delete s.conditions;
    });
    expect(policyProblems(whole, topology).join("\n")).toMatch(/is not limited by dynamodb:LeadingKeys/);
  });

  it("fails a planted over-declaration: an entity the handler's code never reaches", () => {
    const t: Topology = {
      ...topology,
      functions: topology.functions.map((f) =>
        f.name === readOnly
          ? {
              ...f,
              links: f.links.map((l) =>
                l.kind === "table" ? { ...l, read: [...(l.read ?? []), "USER"] } : l,
              ),
            }
          : f,
      ),
    };
    expect(declarationMismatches(t).join("\n")).toMatch(new RegExp(`${readOnly} read: declares .*USER`));
  });

  it("refuses a function added later whose table entities are not declared (never the whole table)", () => {
    const added = fn("brand-new-function", "http/programs/get-program.ts", "added by a later change", [
      tableReadWrite,
    ]);
    expect(TABLE_ACCESS["brand-new-function"]).toBeUndefined();
    const t: Topology = { ...topology, functions: [...topology.functions, added] };
    expect(() => planDeployment(t, { stage: "production" })).toThrow(PlanError);
    expect(() => planDeployment(t, { stage: "production" })).toThrow(
      /brand-new-function.*without naming the entities it reads/,
    );
  });
});

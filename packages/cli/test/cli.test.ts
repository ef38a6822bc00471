import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Io } from "../src/output.js";
import { commandsOf, createProgram, runCli } from "../src/program.js";

// The command line itself, with no stack behind it: every command answers --help, and a
// wrong command line exits 2 with one line saying what is wrong, before any connection.

const root = resolve(import.meta.dirname, "../../..");

const captured = (env: Record<string, string> = {}) => {
  const output = { out: "", err: "" };
  const io: Io = {
    out: (text) => {
      output.out += text;
    },
    err: (text) => {
      output.err += text;
    },
    env,
    setExitCode: () => undefined,
  };
  return { io, output };
};

const pathOf = (command: { name(): string; parent: unknown }): string[] => {
  const names: string[] = [];
  for (let c = command as { name(): string; parent: unknown } | null; c; c = c.parent as typeof c)
    names.unshift(c.name());
  return names.slice(1);
};

const commandPaths = commandsOf(createProgram(captured().io)).map(pathOf);

describe("allot --help", () => {
  it("covers the commands the staff need", () => {
    expect(commandPaths.map((p) => p.join(" "))).toEqual(
      expect.arrayContaining([
        "token",
        "programs list",
        "programs get",
        "calls list",
        "calls get",
        "proposals list",
        "proposals get",
        "decisions record",
        "decisions apply",
        "awards list",
        "awards get",
        "ledger check",
        "reports funnel",
        "reports budget",
        "reports utilization",
        "reports outputs",
        "events dead-letters",
        "events redrive",
        "events replay",
        "events run-schedule",
        "clients create",
        "clients list",
        "clients revoke",
      ]),
    );
  });

  it.each(commandPaths.map((p) => [p.join(" ") || "(root)", p] as const))("%s --help", async (_, path) => {
    const { io, output } = captured();
    expect(await runCli([...path, "--help"], io)).toBe(0);
    expect(output.out).toMatch(new RegExp(`^Usage: ${["allot", ...path].join(" ")} `));
    expect(output.err).toBe("");
  });

  it("says on the token and events commands that they work on the local stack only", async () => {
    for (const path of [
      ["token"],
      ["events", "dead-letters"],
      ["events", "redrive"],
      ["events", "replay"],
      ["events", "run-schedule"],
    ]) {
      const { io, output } = captured();
      await runCli([...path, "--help"], io);
      expect(output.out.replace(/\s+/g, " "), path.join(" ")).toMatch(/[Ll]ocal (stack )?only/);
    }
  });
});

describe("usage errors exit 2", () => {
  it.each([
    ["an unknown option", ["--bogus"], "error: unknown option '--bogus'"],
    ["an unknown command", ["grants"], "error: unknown command 'grants'"],
    ["a missing subcommand", ["programs"], "Usage: allot programs"],
    ["a missing required option", ["ledger", "check", "--token", "t", "--program"], "argument missing"],
    ["an outcome that is not one", ["decisions", "record", "--outcome", "maybe"], "Allowed choices are"],
    ["a funnel without its call", ["reports", "funnel", "--token", "t"], "required option '--call <callId>'"],
    [
      "an interval that is not one",
      ["reports", "budget", "--interval", "week"],
      "Allowed choices are day, month",
    ],
    ["a replay without its range", ["events", "replay", "--to", "2026-01-01T00:00:00Z"], "--from <time>"],
    ["a schedule run without its name", ["events", "run-schedule"], "missing required argument 'name'"],
    [
      "a date that is none",
      ["events", "replay", "--from", "soon", "--to", "later"],
      '--from "soon" is not a date',
    ],
    [
      "an API command without a token",
      ["programs", "list"],
      "no bearer token: pass --token or set ALLOT_TOKEN",
    ],
    [
      "a decisions file of another kind",
      ["decisions", "apply", "--token", "t", "--file", "d.txt"],
      "must end in .csv or .json",
    ],
  ])("%s", async (_, argv, message) => {
    const { io, output } = captured();
    expect(await runCli(argv, io)).toBe(2);
    expect(output.err).toContain(message);
    expect(output.err).not.toMatch(/\n\s+at /);
  });
});

describe("the bin", () => {
  const bin = (...args: string[]) =>
    spawnSync(process.execPath, ["packages/cli/bin/allot.mjs", ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
    });

  it("runs the TypeScript entry: --help exits 0 with the usage", () => {
    const result = bin("--help");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: allot /);
  });

  it("exits 2 on a usage error, naming it in one line", () => {
    const result = bin("--bogus");
    expect(result.status).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("error: unknown option '--bogus'");
  });

  it("exits 1 with one line when the API is not there", () => {
    const result = bin("programs", "list", "--url", "http://127.0.0.1:9", "--token", "t");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^cannot reach the API at http:\/\/127\.0\.0\.1:9 .*is the stack running/);
  });
});

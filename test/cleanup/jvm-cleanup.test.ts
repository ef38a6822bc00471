import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { startDynamoDbLocal } from "../../packages/aws-local/src/dynamodb/launcher.js";
import { freePort } from "../../packages/aws-local/src/net.js";
import { createRegistry, stopAbandonedRuns } from "../support/jvm-registry.js";

// A test whose hook times out while its DynamoDB Local starts must not leave the JVM behind
// (six were found after one loaded run), nor may the run's own per-worker DynamoDB Local
// outlive it. This runs such a test in its own vitest, with the integration project's
// configuration, and watches for their JVMs by a marker in the JVMs' environment.
const root = resolve(import.meta.dirname, "../..");

const cmdlineOf = (pid: number | string) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
};

const jvmsMarked = (marker: string) =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("DynamoDBLocal.jar") &&
          readFileSync(`/proc/${pid}/environ`, "utf8").includes(`ALLOT_FIXTURE_MARKER=${marker}`)
        );
      } catch {
        return false;
      }
    });

it("stops the run's DynamoDB Local and that of a test whose beforeAll timed out", async () => {
  const marker = randomUUID();
  const seen = new Set<string>();
  const watch = setInterval(() => {
    for (const pid of jvmsMarked(marker)) seen.add(pid);
  }, 50);
  const nested = spawn(
    process.execPath,
    [
      resolve(root, "node_modules/vitest/vitest.mjs"),
      "run",
      "--config",
      "test/cleanup/vitest.fixture.config.ts",
    ],
    {
      cwd: root,
      env: { ...process.env, ALLOT_FIXTURE_MARKER: marker, FIXTURE_HOOK_TIMEOUT_MS: "500" },
      stdio: "ignore",
    },
  );
  const code = await new Promise<number | null>((r) => nested.once("exit", r));
  clearInterval(watch);
  expect(code, "the fixture's test fails: its hook timed out").toBe(1);
  expect(seen.size, "the run's DynamoDB Local and the fixture's own").toBeGreaterThanOrEqual(2);

  // The JVM gets a moment to die after its teardown, but no more.
  const deadline = Date.now() + 5_000;
  while (jvmsMarked(marker).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const left = jvmsMarked(marker);
  for (const pid of left) process.kill(Number(pid), "SIGKILL");
  expect(left, "JVMs left running after the run").toEqual([]);
}, 180_000);

it("stops the JVMs of a run whose vitest was killed, and leaves a live run's alone", async () => {
  const parent = mkdtempSync(join(tmpdir(), "allot-registries-"));
  const exited = spawnSync("true").pid;
  const dead = createRegistry(parent);
  // A registry as a vitest killed with -9 leaves it: owned by a process that is gone.
  writeFileSync(join(dead, "owner"), String(exited));
  const live = createRegistry(parent);
  // Registered as soon as it is spawned; stopped here before it even answers.
  const starting = startDynamoDbLocal({ port: await freePort(), registry: dead }).catch(
    (error: Error) => error,
  );
  const [pidFile] = readdirSync(dead).filter((file) => file.endsWith(".pid"));
  const pid = Number(readFileSync(join(dead, pidFile ?? ""), "utf8"));
  try {
    expect(cmdlineOf(pid)).toContain("DynamoDBLocal.jar");
    stopAbandonedRuns(parent);
    // Killed, it is at most a zombie until this process (its parent here) reaps it.
    expect(cmdlineOf(pid), "the abandoned JVM").not.toContain("DynamoDBLocal.jar");
    expect(await starting).toBeInstanceOf(Error);
    expect(existsSync(dead), "the abandoned registry").toBe(false);
    expect(existsSync(live), "a live run's registry").toBe(true);
  } finally {
    if (cmdlineOf(pid).includes("DynamoDBLocal.jar")) process.kill(pid, "SIGKILL");
    rmSync(parent, { recursive: true, force: true });
  }
}, 60_000);

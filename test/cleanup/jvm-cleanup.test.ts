import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";

// A test whose hook times out while its DynamoDB Local starts must not leave the JVM behind
// (six were found after one loaded run). This runs such a test in its own vitest, with the
// project's configuration, and watches for its JVM by a marker in the JVM's environment.
const root = resolve(import.meta.dirname, "../..");

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

it("stops the DynamoDB Local of a test whose beforeAll timed out", async () => {
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
  expect(seen.size, "the fixture started a DynamoDB Local").toBeGreaterThan(0);

  // The JVM gets a moment to die after its teardown, but no more.
  const deadline = Date.now() + 5_000;
  while (jvmsMarked(marker).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const left = jvmsMarked(marker);
  for (const pid of left) process.kill(Number(pid), "SIGKILL");
  expect(left, "JVMs left running after the run").toEqual([]);
}, 120_000);

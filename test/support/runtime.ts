import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { localClientConfig } from "../../packages/aws-local/src/aws-config.js";
import { killStale } from "../../packages/aws-local/src/dynamodb/launcher.js";
import { freePort } from "../../packages/aws-local/src/net.js";
import { loadIssuer } from "../../packages/local/src/http/issuer.js";
import { dropDatabase, type LocalClientConfig, workerDatabase } from "./worker-dynamodb.js";

const root = resolve(import.meta.dirname, "../..");

export interface RuntimeProcess {
  dataDir: string;
  ports: { dynamo: number; edge: number; http: number; provider: number; registries: number };
  http: string;
  edge: string;
  dynamodb: string;
  /** Endpoint, region and access key of the runtime's database, for clients a test builds. */
  dynamodbConfig: LocalClientConfig;
  provider: string;
  /** The registries stand-in's root; its admin API is `registriesAdmin(registries)` from @allot/standins. */
  registries: string;
  token(sub: string, role: string): Promise<string>;
  /** Kills the runtime with the signal; SIGKILL leaves DynamoDB Local's JVM behind, as a crash would. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the runtime again on the same ports and data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `npm start` as a child process on free ports and a fresh data folder: the real thing, killable.
 * In the integration project it runs on a database of its own on its worker's DynamoDB Local,
 * so a kill -9 kills the runtime alone, as a crashed Lambda leaves DynamoDB up; `ownJvm` (and
 * any run outside vitest) starts DynamoDB Local with it, persisted in the data folder, as
 * `npm start` does.
 */
export const startRuntimeProcess = async (
  options: {
    env?: Record<string, string>;
    ownJvm?: boolean;
    /** Every chunk the runtime writes (its functions' log lines among them), as it comes. */
    onOutput?: (chunk: string) => void;
  } = {},
): Promise<RuntimeProcess> => {
  const dataDir = mkdtempSync(join(tmpdir(), "allot-e2e-"));
  const shared = options.ownJvm ? undefined : await workerDatabase();
  const ports = {
    dynamo: shared ? Number(new URL(shared.endpoint).port) : await freePort(),
    edge: await freePort(),
    http: await freePort(),
    provider: await freePort(),
    registries: await freePort(),
  };
  let child: ChildProcess | undefined;
  let output = "";

  const launch = () =>
    new Promise<void>((resolveReady, reject) => {
      output = "";
      const proc = fork(join(root, "packages/local/src/main.ts"), [], {
        cwd: root,
        execArgv: ["--import", "tsx"],
        env: {
          ...process.env,
          ALLOT_DATA_DIR: dataDir,
          ALLOT_DYNAMODB_PORT: String(ports.dynamo),
          ALLOT_EDGE_PORT: String(ports.edge),
          ALLOT_HTTP_PORT: String(ports.http),
          ALLOT_PROVIDER_PORT: String(ports.provider),
          ALLOT_REGISTRIES_PORT: String(ports.registries),
          ALLOT_LOG_LEVEL: process.env.ALLOT_LOG_LEVEL ?? "warn",
          ...(shared
            ? { ALLOT_DYNAMODB_ENDPOINT: shared.endpoint, ALLOT_DYNAMODB_ACCESS_KEY: shared.accessKeyId }
            : {}),
          ...options.env,
        },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      child = proc;
      const collect = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        options.onOutput?.(chunk.toString());
        if (process.env.ALLOT_E2E_VERBOSE) process.stderr.write(chunk);
      };
      proc.stdout?.on("data", collect);
      proc.stderr?.on("data", collect);
      const timer = setTimeout(() => reject(new Error(`runtime not ready in 90 s:\n${output}`)), 90_000);
      proc.on("message", (message: { ready?: boolean }) => {
        if (message?.ready) {
          clearTimeout(timer);
          resolveReady();
        }
      });
      proc.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`runtime exited with ${code} before ready:\n${output}`));
      });
    });

  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill(signal);
    await exited;
  };

  await launch();
  const issuer = await loadIssuer(join(dataDir, "issuer-key.json"));
  return {
    dataDir,
    ports,
    http: `http://127.0.0.1:${ports.http}`,
    edge: `http://127.0.0.1:${ports.edge}`,
    dynamodb: `http://127.0.0.1:${ports.dynamo}`,
    dynamodbConfig: shared?.clientConfig ?? localClientConfig(`http://127.0.0.1:${ports.dynamo}`),
    provider: `http://127.0.0.1:${ports.provider}`,
    registries: `http://127.0.0.1:${ports.registries}`,
    token: (sub, role) => issuer.mint({ sub, role }),
    kill,
    restart: launch,
    async stop() {
      await kill("SIGTERM");
      // A runtime killed with -9 and not restarted leaves its JVM: stop it through the pid file.
      killStale(join(dataDir, "dynamodb-local.pid"));
      if (shared) await dropDatabase(shared);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export const until = async <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
};

export const api =
  (base: string, token?: string) =>
  async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

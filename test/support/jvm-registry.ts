import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import {
  type DynamoDbLocal,
  killStale,
  startDynamoDbLocal,
} from "../../packages/aws-local/src/dynamodb/launcher.js";
import { freePort } from "../../packages/aws-local/src/net.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder where every DynamoDB Local of this run leaves its pid. */
    jvmRegistry: string;
    /** One in-memory DynamoDB Local per worker, indexed by VITEST_POOL_ID - 1. */
    dynamodbLocalEndpoints: string[];
  }
}

const registryPrefix = "allot-jvm-pids-";
const ownerFile = "owner";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const stopRegistered = (registry: string) => {
  for (const file of readdirSync(registry)) if (file !== ownerFile) killStale(join(registry, file));
  rmSync(registry, { recursive: true, force: true });
};

/**
 * A run whose vitest was itself killed (-9, OOM) never ran its teardown: the next run stops the
 * JVMs it left, found by their pid files in a registry whose owner is gone.
 */
export const stopAbandonedRuns = (parent = tmpdir()) => {
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(registryPrefix)) continue;
    const registry = join(parent, entry);
    const owner = join(registry, ownerFile);
    if (!existsSync(owner)) continue;
    if (alive(Number(readFileSync(owner, "utf8")))) continue;
    stopRegistered(registry);
  }
};

/** A pid registry owned by this process, for startDynamoDbLocal's `registry`. */
export const createRegistry = (parent = tmpdir()) => {
  mkdirSync(parent, { recursive: true });
  const registry = mkdtempSync(join(parent, registryPrefix));
  writeFileSync(join(registry, ownerFile), String(process.pid));
  return registry;
};

/** Where the global setup leaves why a worker's DynamoDB Local could not start. */
export const startFailureFile = (registry: string, endpoint: string) =>
  join(registry, `failed-${new URL(endpoint).port}`);

// The integration project's global setup. It starts one in-memory DynamoDB Local per worker,
// once (each is seconds of JVM start-up that no test file pays again), and every DynamoDB
// Local of the run (these, and any a test starts directly or inside a runtime it forks) leaves
// its pid in one folder: the teardown stops each JVM still alive by that pid, whatever happened
// to the worker or runtime that started it (a timed-out hook, a crash, kill -9). killStale
// checks the pid still runs DynamoDBLocal.jar before it kills.
export default async function setup(project: TestProject) {
  stopAbandonedRuns();
  const registry = createRegistry();
  const workers = project.config.maxWorkers || project.vitest.config.maxWorkers || 1;
  const endpoints: string[] = [];
  for (let i = 0; i < workers; i++) endpoints.push(`http://127.0.0.1:${await freePort()}`);
  // Spawned here (and registered) but not awaited: unit tests run while the JVMs start, and each
  // integration worker waits for its own (integration-worker.ts). A loaded machine can take
  // most of a minute to start one; the limit is generous because the whole run depends on it.
  // Without sharedDb each access key has its own database: a file's key is its isolation.
  const ready: DynamoDbLocal[] = [];
  for (const endpoint of endpoints)
    startDynamoDbLocal({
      port: Number(new URL(endpoint).port),
      sharedDb: false,
      registry,
      readyWithinMs: 180_000,
    }).then(
      (local) => ready.push(local),
      (error: Error) => {
        // After the teardown (a run cut short) the registry is gone and nobody waits any more.
        if (existsSync(registry)) writeFileSync(startFailureFile(registry, endpoint), error.message);
      },
    );
  project.provide("jvmRegistry", registry);
  project.provide("dynamodbLocalEndpoints", endpoints);
  return async () => {
    // These JVMs are this process's children: stopped through their handles they are also
    // reaped; the registry stops the rest (one still starting, those of workers and runtimes).
    await Promise.all(ready.map((local) => local.stop()));
    stopRegistered(registry);
  };
}

import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionSpec } from "../src/config.js";
import { createLambdaRegistry } from "../src/lambda/registry.js";
import { silentLogger } from "../src/logger.js";

type Probe = { before?: string; after?: string; env: Record<string, string> };

const fn = (name: string, environment: Record<string, string>): FunctionSpec => ({
  name,
  module: join(import.meta.dirname, "fixtures/environment-probe.ts"),
  handler: "probe",
  timeoutSeconds: 5,
  memoryMb: 256,
  environment,
});

const registry = createLambdaRegistry({
  functions: [fn("alpha", { OWN_VALUE: "a", ONLY_ALPHA: "1" }), fn("beta", { OWN_VALUE: "b" })],
  rootDir: "/",
  logger: silentLogger,
  commonEnvironment: () => ({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_SFN: "http://127.0.0.1:1" }),
});

const invoke = async (name: string, event: unknown = {}): Promise<Probe> => {
  const result = await registry.invoke(name, event);
  if (!result.ok) throw new Error(`${result.errorType}: ${result.errorMessage}`);
  return result.payload as Probe;
};

describe("a function's environment", () => {
  beforeAll(() => {
    process.env.HOST_ONLY_SETTING = "host";
  });
  afterAll(() => {
    delete process.env.HOST_ONLY_SETTING;
  });

  it("is its own variables, what every function gets, and nothing else of the process", async () => {
    const alpha = await invoke("alpha");
    expect(alpha.env).toMatchObject({
      OWN_VALUE: "a",
      ONLY_ALPHA: "1",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SFN: "http://127.0.0.1:1",
      AWS_LAMBDA_FUNCTION_NAME: "alpha",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
    });
    expect(alpha.env).not.toHaveProperty("HOST_ONLY_SETTING");
    const beta = await invoke("beta");
    expect(beta.env.OWN_VALUE).toBe("b");
    expect(beta.env.AWS_LAMBDA_FUNCTION_NAME).toBe("beta");
    expect(beta.env).not.toHaveProperty("ONLY_ALPHA");
    expect(beta.env).not.toHaveProperty("HOST_ONLY_SETTING");
  });

  it("stays each function's own across concurrent invocations and their timers", async () => {
    const calls = Array.from({ length: 40 }, (_, i) => {
      const name = i % 2 === 0 ? "alpha" : "beta";
      return invoke(name, { delayMs: (i * 7) % 25 }).then((probe) => ({ name, probe }));
    });
    for (const { name, probe } of await Promise.all(calls)) {
      const own = name === "alpha" ? "a" : "b";
      expect(probe.before).toBe(own);
      expect(probe.after).toBe(own);
      expect(probe.env.AWS_LAMBDA_FUNCTION_NAME).toBe(name);
    }
  });

  it("keeps what a handler sets to its own function, and leaves the process's alone", async () => {
    await invoke("alpha", { set: { SET_BY_ALPHA: "yes" } });
    expect((await invoke("alpha")).env.SET_BY_ALPHA).toBe("yes");
    expect((await invoke("beta")).env).not.toHaveProperty("SET_BY_ALPHA");
    expect(process.env.SET_BY_ALPHA).toBeUndefined();
    expect(process.env.HOST_ONLY_SETTING).toBe("host");
    expect(process.env.OWN_VALUE).toBeUndefined();
  });
});

import { randomUUID } from "node:crypto";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../aws-config.js";
import type { FunctionSpec } from "../config.js";
import type { Logger } from "../logger.js";
import { inheritedEnvironment, withEnvironment } from "./environment.js";
import { functionNameOf, type InvokeResult, type LambdaInvoker } from "./invoker.js";

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const errorOf = (error: unknown): Extract<InvokeResult, { ok: false }> => {
  const e = error as Error | undefined;
  return {
    ok: false,
    errorType: e?.name && e.name !== "Error" ? e.name : "Error",
    errorMessage: e?.message ?? String(error),
    trace: e?.stack?.split("\n"),
  };
};

/**
 * Runs the functions' handler modules in this process, with a Lambda-shaped context, the
 * function's timeout and only its own environment. Modules load on first use, as a cold start
 * would.
 */
export const createLambdaRegistry = (options: {
  functions: FunctionSpec[];
  rootDir: string;
  logger: Logger;
  /**
   * What every function sees besides its own variables (region, credentials, endpoints), read
   * at each function's first invocation: the endpoints exist only once the edge listens.
   */
  commonEnvironment?: () => Record<string, string>;
}): LambdaInvoker & { specs: Map<string, FunctionSpec> } => {
  const specs = new Map(options.functions.map((f) => [f.name, f]));
  const loaded = new Map<string, Promise<Handler>>();
  const environments = new Map<string, Record<string, string>>();

  // One object per function, as one container's: what a handler sets stays for its next invocations.
  const environmentOf = (spec: FunctionSpec) => {
    let environment = environments.get(spec.name);
    if (!environment) {
      environment = {
        ...inheritedEnvironment(),
        ...spec.environment,
        ...options.commonEnvironment?.(),
        AWS_LAMBDA_FUNCTION_NAME: spec.name,
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
      };
      environments.set(spec.name, environment);
    }
    return environment;
  };

  const load = (spec: FunctionSpec) => {
    let handler = loaded.get(spec.name);
    if (!handler) {
      const path = isAbsolute(spec.module) ? spec.module : join(options.rootDir, spec.module);
      handler = import(pathToFileURL(path).href).then((module) => {
        const fn = module[spec.handler];
        if (typeof fn !== "function")
          throw new Error(`${spec.module} does not export a function "${spec.handler}"`);
        return fn as Handler;
      });
      loaded.set(spec.name, handler);
    }
    return handler;
  };

  const contextFor = (spec: FunctionSpec, deadline: number): Context => {
    const requestId = randomUUID();
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: spec.name,
      functionVersion: "$LATEST",
      invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${spec.name}`,
      memoryLimitInMB: String(spec.memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${spec.name}`,
      logStreamName: `local/${requestId}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
  };

  return {
    specs,
    has: (nameOrArn) => specs.has(functionNameOf(nameOrArn)),
    async invoke(nameOrArn, payload) {
      const spec = specs.get(functionNameOf(nameOrArn));
      if (!spec)
        return {
          ok: false,
          errorType: "ResourceNotFoundException",
          errorMessage: `Function not found: ${nameOrArn}`,
        };
      const started = Date.now();
      const deadline = started + spec.timeoutSeconds * 1000;
      let timer: NodeJS.Timeout | undefined;
      try {
        // The module's own top level runs as this function's init phase, with its environment.
        const handler = await withEnvironment(environmentOf(spec), () => load(spec));
        // Each invocation gets its own copy of the event, as a real one is deserialized afresh.
        const event = payload === undefined ? {} : structuredClone(payload);
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                Object.assign(new Error(`Task timed out after ${spec.timeoutSeconds} seconds`), {
                  name: "Sandbox.Timedout",
                }),
              ),
            spec.timeoutSeconds * 1000,
          );
        });
        const result = await Promise.race([
          withEnvironment(environmentOf(spec), () => handler(event, contextFor(spec, deadline))),
          timeout,
        ]);
        options.logger.debug("lambda ok", { function: spec.name, ms: Date.now() - started });
        return { ok: true, payload: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
      } catch (error) {
        const failure = errorOf(error);
        options.logger.warn("lambda error", {
          function: spec.name,
          errorType: failure.errorType,
          error: failure.errorMessage,
        });
        return failure;
      } finally {
        clearTimeout(timer);
      }
    },
  };
};

import { AsyncLocalStorage } from "node:async_hooks";

// On AWS each function is its own process and sees only its own variables; here every function
// shares one process. So during an invocation `process.env` is that function's environment and
// nothing else, and a handler reading a variable its function was not given fails here as it
// would there. Outside an invocation (the emulator, tests) it is the process's own.
//
// AsyncLocalStorage follows the invocation through promises, timers and the sockets it opens,
// so work a handler starts keeps its function's view. What runs once per process and is then
// shared (a module's top level, a memo filled by the first caller) is evaluated under whichever
// function came first: memoize per AWS_LAMBDA_FUNCTION_NAME, as a Lambda container does.
const current = new AsyncLocalStorage<Record<string, string | undefined>>();
let installed = false;

const install = () => {
  if (installed) return;
  installed = true;
  const processEnv = process.env;
  const view = (): object => current.getStore() ?? processEnv;
  process.env = new Proxy(processEnv, {
    get: (_, key) => Reflect.get(view(), key),
    set: (_, key, value) => {
      const env = current.getStore();
      if (!env) return Reflect.set(processEnv, key, value);
      // process.env keeps strings only, whatever is assigned.
      if (typeof key === "string") env[key] = String(value);
      return true;
    },
    has: (_, key) => Reflect.has(view(), key),
    deleteProperty: (_, key) => Reflect.deleteProperty(view(), key),
    ownKeys: () => Reflect.ownKeys(view()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(view(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(view(), key, descriptor),
  });
};

/** Runs `work` with `process.env` showing exactly `environment` (which it may change, as a handler may). */
export const withEnvironment = <T>(environment: Record<string, string | undefined>, work: () => T): T => {
  install();
  return current.run(environment, work);
};

/**
 * Variables of the host process every function also sees: what a Node runtime needs to run at
 * all, not anything an application configures.
 */
export const INHERITED_VARIABLES = [
  "PATH",
  "HOME",
  "TMPDIR",
  "TZ",
  "LANG",
  "LC_ALL",
  "NODE_OPTIONS",
  "NODE_EXTRA_CA_CERTS",
  // The SDK's notice about Node versions is the host's choice; Lambda runs a current Node.
  "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED",
];

export const inheritedEnvironment = (names: readonly string[] = INHERITED_VARIABLES) =>
  Object.fromEntries(
    names.flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  ) as Record<string, string>;

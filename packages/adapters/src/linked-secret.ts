import { readSstLinkedValue } from "./verification/sst-link.js";

// A secret setting, read the same way in both realizations: on AWS the SST secret linked to the
// function (decrypted from its bundle, as SST's `Resource` does), locally the environment
// variable the local runtime sets. Never logged.
//
// Only the AWS reading is cached (once per container, keyed by the bundle's key file): locally
// every function shares one process, and a shared cache would let a function that is not linked
// read what a linked one read.
const decrypted = new Map<string, string | undefined>();

/** The linked SST secret `name`, else the environment variable `fallback`; undefined when neither is set. */
export const linkedSecret = (
  name: string,
  fallback: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => {
  const bundle = env.SST_KEY_FILE ? `${env.SST_KEY_FILE}\u0000${name}` : undefined;
  let linked = bundle ? decrypted.get(bundle) : undefined;
  if (linked === undefined) {
    linked = readSstLinkedValue(name, env);
    if (bundle && linked !== undefined) decrypted.set(bundle, linked);
  }
  const value = linked ?? env[fallback];
  return value ? value : undefined;
};

import { readSstLinkedValue } from "./verification/sst-link.js";

// A secret setting, read the same way in both realizations: on AWS the SST secret linked to the
// function (decrypted from the bundle, like SST's `Resource`), locally the environment variable
// the local runtime sets. Read once per container (a value once found is kept); never logged.
const cache = new Map<string, string | undefined>();

/** The linked SST secret `name`, else the environment variable `fallback`; undefined when neither is set. */
export const linkedSecret = (
  name: string,
  fallback: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => {
  const key = `${name}\u0000${fallback}`;
  if (env === process.env && cache.has(key)) return cache.get(key);
  const value = readSstLinkedValue(name, env) ?? env[fallback] ?? undefined;
  if (!value) return undefined;
  if (env === process.env) cache.set(key, value);
  return value;
};

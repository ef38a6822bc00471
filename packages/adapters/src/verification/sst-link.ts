import { createDecipheriv } from "node:crypto";
import { readFileSync } from "node:fs";

// A value `sst deploy` linked to this function (`link: [secret]` in infra/), read the way SST's
// own `Resource` reads it: `sst` is a deploy-time (dev) dependency and stays out of the Lambda
// bundles. SST writes the linked values as JSON encrypted with AES-256-GCM (zero nonce, tag
// last) into the code package at SST_KEY_FILE, with the key in SST_KEY; `sst dev` sets
// SST_RESOURCE_<name> instead.

/** The linked resource's `value`, or undefined when nothing by that name is linked. */
export const readSstLinkedValue = (
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => {
  const direct = env[`SST_RESOURCE_${name}`];
  if (direct) return (JSON.parse(direct) as { value?: string }).value;
  if (!env.SST_KEY || !env.SST_KEY_FILE) return undefined;
  const data = readFileSync(env.SST_KEY_FILE);
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(env.SST_KEY, "base64"), Buffer.alloc(12, 0));
  decipher.setAuthTag(data.subarray(-16));
  const plain = Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
  const linked = (JSON.parse(plain.toString("utf8")) as Record<string, { value?: string } | undefined>)[name];
  return linked?.value;
};

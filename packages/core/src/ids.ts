import { createHash } from "node:crypto";

// Crockford base32, lower case: ids sort and read well and fit DynamoDB keys.
const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

/** A deterministic id from its natural key, so a retried command lands on the same item. */
export const deterministicId = (prefix: string, ...parts: string[]): string => {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  let out = "";
  for (let i = 0; i < 26; i++) out += alphabet[(digest[i] as number) % 32];
  return `${prefix}_${out}`;
};

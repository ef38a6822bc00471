import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

// A client secret is 32 random bytes (base64url), shown once; only its scrypt hash is kept,
// with its own salt, as `scrypt$<salt b64url>$<hash b64url>`. Verification compares in
// constant time, so a wrong secret's answer takes as long as a nearly right one.

const KEY_LENGTH = 32;
const b64 = (b: Buffer) => b.toString("base64url");

export const newClientSecret = () => b64(randomBytes(32));

export const hashClientSecret = (secret: string) => {
  const salt = randomBytes(16);
  return `scrypt$${b64(salt)}$${b64(scryptSync(secret, salt, KEY_LENGTH))}`;
};

export const clientSecretMatches = (secret: string, stored: string): boolean => {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(secret, Buffer.from(salt, "base64url"), KEY_LENGTH);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

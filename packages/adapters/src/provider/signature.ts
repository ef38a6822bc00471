import { createHmac, timingSafeEqual } from "node:crypto";

// Stripe-style signatures, used both ways between Allot and the compute provider. The
// timestamp is inside the signed text, so a captured request cannot be replayed once it is
// older than the tolerance; the raw body is signed, so the receiver must verify the bytes it
// received before it parses them.

export const SIGNATURE_HEADER = "x-allot-signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, body: string | Uint8Array, timestamp: number) =>
  createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();

/** The header value `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const signPayload = (secret: string, body: string | Uint8Array, nowSeconds: number): string => {
  const timestamp = Math.floor(nowSeconds);
  return `t=${timestamp},v1=${hmac(secret, body, timestamp).toString("hex")}`;
};

/**
 * True when one of the header's v1 signatures matches the body under the secret and its
 * timestamp is within the tolerance of now, on either side (a clock ahead is as suspect as a
 * replay). Several v1 entries are accepted so that a secret can be rotated without downtime.
 */
export const verifySignature = (
  secret: string,
  body: string | Uint8Array,
  header: string | undefined | null,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean => {
  if (!header || !secret) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = hmac(secret, body, timestamp);
  let matched = false;
  // Every candidate is compared, so the time taken does not tell which one matched.
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, "hex"))) matched = true;
  }
  return matched;
};

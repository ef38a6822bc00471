import { createHmac } from "node:crypto";

// Standard Webhooks (standardwebhooks.com): the receiver verifies with any of the signatures, so
// during a secret rotation's overlap both the new and the previous secret sign.

export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The HMAC key of a `whsec_` secret: the bytes of the base64 after the prefix. */
const keyOf = (secret: string): Buffer => Buffer.from(secret.replace(/^whsec_/, ""), "base64");

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for each secret, space separated. */
export const signWebhook = (input: {
  webhookId: string;
  body: string;
  secrets: readonly string[];
  now: Date;
}): WebhookHeaders => {
  if (input.secrets.length === 0) throw new Error("a webhook needs at least one signing secret");
  const timestamp = Math.floor(input.now.getTime() / 1000).toString();
  const signed = `${input.webhookId}.${timestamp}.${input.body}`;
  const signatures = input.secrets.map(
    (secret) => `v1,${createHmac("sha256", keyOf(secret)).update(signed).digest("base64")}`,
  );
  return {
    "webhook-id": input.webhookId,
    "webhook-timestamp": timestamp,
    "webhook-signature": signatures.join(" "),
  };
};

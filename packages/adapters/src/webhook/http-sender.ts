import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { ipLiteral, refusedAddress } from "./address-policy.js";

// Sends one webhook: a POST of the signed body, no redirects followed, a bounded wait and a bounded
// read. The connection goes to the address the policy checked (the lookup hands back only checked
// addresses), so a name that resolves differently a second time cannot slip past (DNS rebinding).

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_RESPONSE_BYTES = 4096;

export type SendResult =
  | { statusCode: number; retryAfter?: string; body: string; latencyMs: number }
  | { error: string; latencyMs: number };

export interface SendOptions {
  allowLoopback: boolean;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

class RefusedAddress extends Error {
  override readonly name = "RefusedAddress";
}

/** A `lookup` for http.request that resolves, refuses the request if any address is refused, else answers with them. */
const checkedLookup =
  (allowLoopback: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as object), all: true } as LookupAllOptions, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as LookupAddress[];
      if (list.length === 0) return callback(new RefusedAddress(`${hostname} has no address`), "", 0);
      for (const { address } of list) {
        const why = refusedAddress(address, { allowLoopback });
        if (why) return callback(new RefusedAddress(`${hostname} resolves to ${why}`), "", 0);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };

export const sendWebhook = (
  url: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> => {
  const started = Date.now();
  const latencyMs = () => Date.now() - started;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ error: "invalid URL", latencyMs: 0 });
  }
  const secure = target.protocol === "https:";
  if (!secure && !(target.protocol === "http:" && options.allowLoopback)) {
    return Promise.resolve({ error: "only https URLs are delivered to", latencyMs: 0 });
  }
  const literal = ipLiteral(target.hostname);
  if (literal) {
    const why = refusedAddress(literal, { allowLoopback: options.allowLoopback });
    if (why) return Promise.resolve({ error: `refused: ${why}`, latencyMs: 0 });
  }
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? WEBHOOK_RESPONSE_BYTES;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = (secure ? https : http).request(
      target,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body).toString(),
          "user-agent": "Allot-Webhooks/1",
        },
        lookup: checkedLookup(options.allowLoopback),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () =>
          settle({
            statusCode: response.statusCode ?? 0,
            ...(typeof response.headers["retry-after"] === "string"
              ? { retryAfter: response.headers["retry-after"] }
              : {}),
            body: Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8"),
            latencyMs: latencyMs(),
          });
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // Enough read: the status is what counts, the excerpt is for the log.
          if (size >= maxBytes) {
            finish();
            response.destroy();
          }
        });
        response.on("end", finish);
        response.on("error", finish);
      },
    );
    const timer = setTimeout(() => {
      settle({ error: `no response within ${timeoutMs / 1000} s`, latencyMs: latencyMs() });
      request.destroy();
    }, timeoutMs);
    request.on("error", (error) =>
      settle({
        error:
          error instanceof RefusedAddress
            ? `refused: ${error.message}`
            : `connection failed (${(error as NodeJS.ErrnoException).code ?? error.name})`,
        latencyMs: latencyMs(),
      }),
    );
    request.end(body);
  });
};

/** The WebhookSender port over sendWebhook (loopback allowed only locally: ALLOT_WEBHOOK_ALLOW_LOOPBACK). */
export const httpWebhookSender = (options: SendOptions) => ({
  send: (url: string, headers: Record<string, string>, body: string) =>
    sendWebhook(url, headers, body, options),
});

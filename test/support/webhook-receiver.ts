import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

// A webhook receiver as an integration would write it: an HTTP endpoint that verifies every
// request with the Standard Webhooks reference library and nothing of ours. Each path is one
// endpoint with the secrets it knows; it can be told to fail (an outage), and it records what
// came, with which of its secrets verified it at arrival (the library refuses timestamps older
// than five minutes, so a later check would say nothing).

export interface Receipt {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The secrets (of those the endpoint knew then) that verified the request when it came. */
  verifiedWith: string[];
  /** What the endpoint answered. */
  status: number;
  at: number;
}

interface Endpoint {
  secrets: string[];
  /** Requests still to refuse, and with what. */
  failing: number;
  failStatus: number;
  retryAfter?: string;
}

const flatten = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v] as const],
    ),
  );

/** Whether the reference library accepts the request with this secret. */
export const verifies = (secret: string, body: string, headers: Record<string, string>): boolean => {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
};

export const startReceiver = async () => {
  const endpoints = new Map<string, Endpoint>();
  const receipts: Receipt[] = [];
  const endpoint = (path: string): Endpoint => {
    let found = endpoints.get(path);
    if (!found) {
      found = { secrets: [], failing: 0, failStatus: 503 };
      endpoints.set(path, found);
    }
    return found;
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = flatten(request.headers);
      const state = endpoint(path);
      const verifiedWith = state.secrets.filter((secret) => verifies(secret, body, headers));
      let status: number;
      if (state.failing > 0) {
        state.failing--;
        status = state.failStatus;
        if (state.retryAfter) response.setHeader("retry-after", state.retryAfter);
      } else {
        // An endpoint with no secrets (an API destination's) takes what comes; a webhook
        // endpoint refuses what it cannot verify, as a receiver should.
        status = state.secrets.length === 0 || verifiedWith.length > 0 ? 204 : 401;
      }
      receipts.push({ path, headers, body, verifiedWith, status, at: Date.now() });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** The secrets an endpoint verifies with (a rotation adds one). */
    trust(path: string, ...secrets: string[]) {
      endpoint(path).secrets.push(...secrets);
    },
    /** The next `count` requests to the path answer `status` (and `Retry-After`, if given). */
    fail(path: string, count: number, options: { status?: number; retryAfter?: string } = {}) {
      const state = endpoint(path);
      state.failing = count;
      state.failStatus = options.status ?? 503;
      state.retryAfter = options.retryAfter;
    },
    receipts: (path: string) => receipts.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ProjectRequest, ProviderError } from "@allot/core/award";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { httpComputeProvider } from "../src/provider/http-provider.js";
import { SIGNATURE_HEADER, verifySignature } from "../src/provider/signature.js";

const secret = "shared-secret";

interface Seen {
  method: string;
  path: string;
  body: string;
  signed: boolean;
}

type Reply = (request: IncomingMessage, response: ServerResponse) => void;
const json =
  (status: number, body: unknown): Reply =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };

// A fake provider: records what the adapter sends and answers as each test tells it to.
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: Reply = json(200, {});

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = request.headers[SIGNATURE_HEADER];
      seen.push({
        method: request.method ?? "",
        path: request.url ?? "",
        body,
        signed: verifySignature(
          secret,
          body,
          typeof header === "string" ? header : undefined,
          Date.now() / 1000,
        ),
      });
      reply(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  reply = json(200, {});
});

const request: ProjectRequest = {
  awardId: "award-1",
  grantee: { userId: "u-1", name: "Ada Lovelace", email: "ada@uni.example", institution: "Uni" },
  creditsCents: 5_000_000,
  chipHours: 2_000,
  startsAt: "2025-01-01T00:00:00.000Z",
  endsAt: "2026-01-01T00:00:00.000Z",
  callbackUrl: "http://127.0.0.1:3000/integrations/provider/notify",
};

const provider = (timeoutMs = 2_000) => httpComputeProvider({ baseUrl, secret, timeoutMs });

const failure = async (call: Promise<unknown>): Promise<ProviderError> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
};

describe("httpComputeProvider", () => {
  it("sends each operation, signed, to its AMIE route", async () => {
    reply = json(202, { transactionId: "t-1", state: "accepted" });
    await expect(provider().requestProject(request)).resolves.toEqual({ accepted: true });
    reply = json(200, { awardId: "award-1", state: "complete" });
    const p = provider();
    await p.completeTransaction("award-1");
    await p.deprovision("award-1", "compensation");
    await p.setAccess("award-1", "suspended");
    await p.setAccess("award-1", "active");
    await p.inactivate("award-1", "the award's credits are used up");
    await p.reactivate("award-1");
    expect(seen.map((s) => [s.method, s.path, JSON.parse(s.body), s.signed])).toEqual([
      ["POST", "/amie/v1/request_project_create", request, true],
      ["POST", "/amie/v1/inform_transaction_complete", { awardId: "award-1" }, true],
      ["POST", "/amie/v1/request_project_inactivate", { awardId: "award-1", reason: "compensation" }, true],
      ["POST", "/amie/v1/request_project_suspend", { awardId: "award-1" }, true],
      ["POST", "/amie/v1/request_project_reactivate", { awardId: "award-1" }, true],
      [
        "POST",
        "/amie/v1/request_project_inactivate",
        { awardId: "award-1", reason: "the award's credits are used up", reversible: true },
        true,
      ],
      ["POST", "/amie/v1/request_project_reactivate", { awardId: "award-1", lift: "inactivation" }, true],
    ]);
  });

  it("maps 5xx to a transient error", async () => {
    for (const status of [500, 502, 503, 504]) {
      reply = json(status, { error: "unavailable", reason: "down for maintenance" });
      const error = await failure(provider().requestProject(request));
      expect(error.permanent).toBe(false);
      expect(error.name).toBe("Allot.ProviderUnavailable");
      expect(error.message).toContain(`HTTP ${status}`);
    }
  });

  it("maps 4xx to a permanent error carrying the provider's reason", async () => {
    reply = json(422, { error: "rejected", reason: "allocation exceeds the site's capacity" });
    const error = await failure(provider().requestProject(request));
    expect(error.permanent).toBe(true);
    expect(error.name).toBe("Allot.ProvisioningRejected");
    expect(error.message).toContain("allocation exceeds the site's capacity");
    for (const status of [400, 401, 404, 409]) {
      reply = json(status, { error: "invalid", reason: "no" });
      expect((await failure(provider().deprovision("award-1", "x"))).permanent).toBe(true);
    }
  });

  it("treats 408 and 429 as transient: HTTP's own 'try later'", async () => {
    for (const status of [408, 429]) {
      reply = json(status, { error: "unavailable", reason: "slow down" });
      expect((await failure(provider().completeTransaction("award-1"))).permanent).toBe(false);
    }
  });

  it("maps a timeout to a transient error", async () => {
    reply = () => {}; // never answers
    const started = Date.now();
    const error = await failure(provider(300).requestProject(request));
    expect(error.permanent).toBe(false);
    expect(error.message).toContain("no answer within 300 ms");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("maps a refused connection to a transient error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      httpComputeProvider({ baseUrl: `http://127.0.0.1:${port}`, secret, timeoutMs: 1_000 }).deprovision(
        "a",
        "b",
      ),
    );
    expect(error.permanent).toBe(false);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("treats an unreadable 2xx to request_project_create as transient", async () => {
    reply = json(202, { something: "else" });
    expect((await failure(provider().requestProject(request))).permanent).toBe(false);
  });

  it("refuses an invalid request without calling the provider", async () => {
    const error = await failure(
      provider().requestProject({ ...request, callbackUrl: "not a url", creditsCents: -1 }),
    );
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/callbackUrl/);
    expect(seen).toHaveLength(0);
  });

  it("uses the fetch it is given", async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ awardId: "x", state: "inactive" }), { status: 200 });
    };
    await httpComputeProvider({
      baseUrl: "http://provider.example/",
      secret,
      timeoutMs: 100,
      fetch: fake,
    }).deprovision("x", "y");
    expect(calls).toEqual(["http://provider.example/amie/v1/request_project_inactivate"]);
  });
});

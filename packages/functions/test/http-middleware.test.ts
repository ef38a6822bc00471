import { conflict, notFound } from "@allot/core";
import { createEvent, type DomainEvent } from "@allot/core/events";
import { ProposalSubmitted } from "@allot/core/proposal";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HttpError, httpHandler } from "../src/lib/http.js";
import { capturedLogs, httpEvent, lambdaContext } from "./support/lambda.js";

// The HTTP middleware stack with real middy, one behaviour per test: what each middleware
// answers is what the API answered before it was one (the e2e and fuzz suites assert the same).

const applicant = { sub: "user-1", role: "applicant" };
const proposalId = `prp_${"a".repeat(26)}`;
const Body = z.object({ title: z.string().min(3) });

const echo = httpHandler({
  body: Body,
  responses: { 201: z.unknown() },
  handle: async ({ body, actor, event }) => ({ status: 201, body: { body, actor, raw: event.body } }),
});
const call = async (handler: (e: never, c: never) => Promise<unknown>, event: unknown) => {
  const response = (await handler(event as never, lambdaContext() as never)) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
  return { ...response, json: JSON.parse(response.body) };
};

describe("authentication and roles", () => {
  it("answers 401 without a subject and an Allot role", async () => {
    const out = await call(echo, httpEvent("POST /proposals", { body: '{"title":"abc"}' }));
    expect(out.statusCode).toBe(401);
    expect(out.json).toEqual({
      message: "A valid bearer token with a subject and an Allot role is required",
    });
  });

  it("answers 403 to a role the route in stacks/ does not list", async () => {
    const out = await call(
      echo,
      httpEvent("POST /proposals", { caller: { sub: "s", role: "reviewer" }, body: '{"title":"abc"}' }),
    );
    expect(out.statusCode).toBe(403);
    expect(out.json.message).toBe("The reviewer role may not call POST /proposals");
  });

  it("lets a public route through as an anonymous applicant", async () => {
    const open = httpHandler({
      public: true,
      responses: { 200: z.unknown() },
      handle: async ({ actor }) => ({ body: actor }),
    });
    const out = await call(open, httpEvent("POST /provider/notifications", {}));
    expect(out.json).toEqual({ userId: "anonymous", role: "applicant" });
  });
});

describe("path ids", () => {
  const get = httpHandler({ responses: { 200: z.unknown() }, handle: async ({ path }) => ({ body: path }) });

  it("answers 400 naming a path parameter that cannot be such an id", async () => {
    const out = await call(
      get,
      httpEvent("GET /proposals/{proposalId}", { caller: applicant, path: { proposalId: "x" } }),
    );
    expect(out.statusCode).toBe(400);
    expect(out.json.message).toMatch(/^The path is invalid: proposalId must be a proposal id/);
    expect(out.json.issues).toEqual([{ field: "path.proposalId", message: expect.any(String) }]);
  });

  it("hands a well-formed id to the handler", async () => {
    const out = await call(
      get,
      httpEvent("GET /proposals/{proposalId}", { caller: applicant, path: { proposalId } }),
    );
    expect(out.json).toEqual({ proposalId });
  });
});

describe("body parsing and validation", () => {
  it("answers 400 'not valid JSON' for malformed JSON, plain or base64, whatever the content type", async () => {
    for (const event of [
      httpEvent("POST /proposals", { caller: applicant, body: "{nope" }),
      httpEvent("POST /proposals", {
        caller: applicant,
        body: Buffer.from("{nope").toString("base64"),
        isBase64Encoded: true,
        headers: { "content-type": "text/plain" },
      }),
    ]) {
      const out = await call(echo, event);
      expect(out.statusCode).toBe(400);
      expect(out.json).toEqual({ message: "The request body is not valid JSON" });
    }
  });

  it("lets the schema judge a missing or empty body", async () => {
    for (const body of [undefined, ""]) {
      const out = await call(echo, httpEvent("POST /proposals", { caller: applicant, body }));
      expect(out.statusCode).toBe(400);
      expect(out.json.message).toBe("The request body is invalid");
      expect(out.json.issues).toEqual([{ field: "(body)", message: expect.any(String) }]);
    }
  });

  it("answers each invalid field in the fieldIssuesOf format", async () => {
    const out = await call(echo, httpEvent("POST /proposals", { caller: applicant, body: '{"title":"a"}' }));
    expect(out.statusCode).toBe(400);
    expect(out.json).toEqual({
      message: "The request body is invalid",
      issues: [{ field: "title", message: expect.any(String) }],
    });
  });

  it("gives the handler the parsed body (base64 too) and leaves the raw one on the event", async () => {
    const raw = Buffer.from('{"title":"Grants"}').toString("base64");
    const out = await call(
      echo,
      httpEvent("POST /proposals", { caller: applicant, body: raw, isBase64Encoded: true }),
    );
    expect(out.statusCode).toBe(201);
    expect(out.json).toEqual({
      body: { title: "Grants" },
      actor: { userId: "user-1", role: "applicant" },
      raw,
    });
  });
});

describe("error mapping", () => {
  const failing = (error: unknown) =>
    httpHandler({ responses: { 200: z.unknown() }, handle: async () => Promise.reject(error) });
  const event = httpEvent("GET /proposals/{proposalId}", {
    caller: applicant,
    path: { proposalId },
    requestId: "req-42",
  });

  it("answers a domain error's kind as its status, with the message", async () => {
    expect((await call(failing(notFound("Proposal x")), event)).statusCode).toBe(404);
    const out = await call(failing(conflict("Already decided")), event);
    expect(out.statusCode).toBe(409);
    expect(out.json).toEqual({ message: "Already decided" });
    expect(out.headers["content-type"]).toBe("application/json");
  });

  it("answers an HttpError's status", async () => {
    expect((await call(failing(new HttpError(413, "Too large")), event)).statusCode).toBe(413);
  });

  it("answers anything else with a 500 that quotes the request id and leaks nothing, logging the details", async () => {
    let out: Awaited<ReturnType<typeof call>> | undefined;
    const logs = await capturedLogs(async () => {
      out = await call(failing(new Error("secret table name")), event);
    });
    expect(out?.statusCode).toBe(500);
    expect(out?.json).toEqual({
      message: "Internal error; quote this request id to support",
      requestId: "req-42",
    });
    expect(out?.body).not.toContain("secret");
    const logged = logs.find((l) => l.message === "unhandled error");
    expect(logged).toMatchObject({ level: "ERROR", requestId: "req-42", correlationId: "req-42" });
    expect(JSON.stringify(logged)).toContain("secret table name");
  });
});

describe("correlation id and logger", () => {
  const emitting = httpHandler({
    responses: { 200: z.unknown() },
    handle: async ({ correlationId, logger }) => {
      logger.info("handled");
      const event: DomainEvent = createEvent(ProposalSubmitted, "evt-1", new Date(0).toISOString(), {
        proposalId,
        callId: "call",
      });
      return { body: { correlationId, eventCorrelationId: event.detail.correlationId } };
    },
  });
  const request = (headers: Record<string, string> = {}) =>
    httpEvent("GET /proposals/{proposalId}", {
      caller: applicant,
      path: { proposalId },
      requestId: "gw-7",
      headers,
    });

  it("takes a well-formed x-correlation-id, stamps it on the events the command creates and on each log line", async () => {
    let out: Awaited<ReturnType<typeof call>> | undefined;
    const logs = await capturedLogs(async () => {
      out = await call(emitting, request({ "X-Correlation-Id": "client-run:42" }));
    });
    expect(out?.json).toEqual({ correlationId: "client-run:42", eventCorrelationId: "client-run:42" });
    const line = logs.find((l) => l.message === "handled");
    expect(line).toMatchObject({
      level: "INFO",
      correlationId: "client-run:42",
      function_name: "test-function",
    });
  });

  it("falls back to the gateway's request id for a missing or malformed header", async () => {
    const malformed: Array<Record<string, string>> = [
      {},
      { "x-correlation-id": "no spaces or ✓ allowed" },
      { "x-correlation-id": "a".repeat(129) },
    ];
    for (const headers of malformed) {
      const out = await call(emitting, request(headers));
      expect(out.json).toEqual({ correlationId: "gw-7", eventCorrelationId: "gw-7" });
    }
  });

  it("stamps nothing on events created outside a request", () => {
    const event = createEvent(ProposalSubmitted, "evt-2", new Date(0).toISOString(), {
      proposalId,
      callId: "c",
    });
    expect(event.detail).not.toHaveProperty("correlationId");
  });
});

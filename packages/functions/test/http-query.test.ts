import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { httpHandler } from "../src/lib/http.js";

// The `query` option of httpHandler: the handler gets the parsed value, and a value the schema
// refuses is the 400 the list handlers answered when each parsed its own query.

const seen: unknown[] = [];
const handler = httpHandler({
  public: true,
  query: z.object({
    limit: z.coerce.number().int().min(1).optional(),
    open: z.enum(["true", "false"]).optional(),
  }),
  responses: { 200: z.object({ ok: z.boolean() }) },
  handle: async ({ query }) => {
    seen.push(query);
    return { body: { ok: true } };
  },
});

const get = (queryStringParameters?: Record<string, string>) =>
  handler(
    {
      routeKey: "GET /openapi.json",
      rawPath: "/x",
      headers: {},
      requestContext: { requestId: "r1" },
      ...(queryStringParameters ? { queryStringParameters } : {}),
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer,
    {} as never,
  );

describe("httpHandler's query option", () => {
  it("hands the handler the parsed query, unknown parameters dropped", async () => {
    seen.length = 0;
    const res = await get({ limit: "5", open: "true", other: "x" });
    expect(res.statusCode).toBe(200);
    expect(seen).toEqual([{ limit: 5, open: "true" }]);
    await get();
    expect(seen[1]).toEqual({});
  });

  it("answers 400 naming each invalid parameter, without calling the handler", async () => {
    seen.length = 0;
    const res = await get({ limit: "zero", open: "yes" });
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(String(res.body));
    expect(body.message).toBe("The query is invalid");
    expect(body.issues.map((i: { field: string }) => i.field).sort()).toEqual(["limit", "open"]);
    expect(seen).toEqual([]);
  });

  it("carries its contract for the OpenAPI generator", () => {
    expect(Object.keys(handler.contract.responses)).toEqual(["200"]);
    expect(handler.contract.query).toBeDefined();
  });
});

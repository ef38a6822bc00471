import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { httpHandler } from "../src/lib/http.js";

// The `csv` option of httpHandler: the same 200 answer as a CSV table when the caller asks for
// it by `format=csv` or an Accept header; JSON otherwise, and errors stay JSON.

const handler = httpHandler({
  public: true,
  query: z.object({ format: z.enum(["json", "csv"]).optional(), fail: z.string().optional() }),
  responses: { 200: z.object({ rows: z.array(z.object({ name: z.string(), cents: z.number() })) }) },
  csv: (body) => ({ header: ["name", "cents"], rows: body.rows.map((r) => [r.name, r.cents]) }),
  handle: async ({ query }) => {
    if (query.fail) throw new Error("boom");
    return {
      body: {
        rows: [
          { name: "=cmd|' /C calc'!A0", cents: -5 },
          { name: 'Ada, "the" first', cents: 7 },
        ],
      },
    };
  },
});

const get = (queryStringParameters: Record<string, string>, headers: Record<string, string> = {}) =>
  handler(
    {
      routeKey: "GET /x",
      rawPath: "/x",
      headers,
      requestContext: { requestId: "r1" },
      queryStringParameters,
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer,
    {} as never,
  );

describe("httpHandler's csv option", () => {
  it("answers text/csv for format=csv, quoted and without formulas", async () => {
    const res = await get({ format: "csv" });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.["content-type"]).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.body).toBe('name,cents\r\n\'=cmd|\' /C calc\'!A0,-5\r\n"Ada, ""the"" first",7\r\n');
  });

  it("answers CSV for Accept: text/csv unless the query says json", async () => {
    expect((await get({}, { accept: "application/json;q=0.5, text/csv" })).headers?.["content-type"]).toMatch(
      /^text\/csv/,
    );
    const json = await get({ format: "json" }, { accept: "text/csv" });
    expect(json.headers?.["content-type"]).toBe("application/json");
    expect(JSON.parse(String(json.body)).rows).toHaveLength(2);
    expect((await get({}, { accept: "text/csvx" })).headers?.["content-type"]).toBe("application/json");
  });

  it("keeps errors JSON", async () => {
    const bad = await get({ format: "xml" });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers?.["content-type"]).toBe("application/json");
    const failed = await get({ format: "csv", fail: "1" });
    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(String(failed.body)).message).toMatch(/Internal error/);
  });
});

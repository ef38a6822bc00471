import { describe, expect, it } from "vitest";
import { z } from "zod";
import { httpHandler } from "../src/lib/http.js";
import { httpEvent, lambdaContext } from "./support/lambda.js";

// Scopes per route in the authenticate middleware: an integration needs one of the route's
// scopes (POST /usage → usage:write), from Allot's issuer or from a Cognito access token.

const whoami = httpHandler({
  responses: { 200: z.unknown() },
  handle: async ({ actor }) => ({ body: actor }),
});

const call = async (claims: Record<string, unknown>) => {
  const event = httpEvent("POST /usage");
  (event.requestContext.authorizer.jwt as { claims: unknown }).claims = claims;
  const response = (await whoami(event as never, lambdaContext() as never)) as {
    statusCode: number;
    body: string;
  };
  return { status: response.statusCode, json: JSON.parse(response.body) };
};

describe("integration scopes", () => {
  it("admits a token with the route's scope", async () => {
    const out = await call({ sub: "cli_1", "allot:role": "integration", scope: "programs:read usage:write" });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({
      userId: "cli_1",
      role: "integration",
      scopes: ["programs:read", "usage:write"],
    });
  });

  it("refuses one without it, naming the scope needed", async () => {
    const out = await call({ sub: "cli_1", "allot:role": "integration", scope: "programs:read" });
    expect(out.status).toBe(403);
    expect(out.json.message).toContain("usage:write");
    expect((await call({ sub: "cli_1", "allot:role": "integration" })).status).toBe(403);
  });

  it("reads a Cognito client-credentials access token as the integration its client id names", async () => {
    const out = await call({
      sub: "5v0abc",
      token_use: "access",
      client_id: "5v0abc",
      scope: "allot/usage:write allot/unknown",
    });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ userId: "5v0abc", role: "integration", scopes: ["usage:write"] });
    const without = await call({ token_use: "access", client_id: "5v0abc", scope: "allot/programs:read" });
    expect(without.status).toBe(403);
  });
});

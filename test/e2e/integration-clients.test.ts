import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, asSent, clientOf, newOperation, ok, reply } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess } from "../support/runtime.js";

// Integrations as OAuth 2.0 clients on the real local stack: staff create a client through the
// API, the client gets a token at the issuer's token endpoint (RFC 6749 §4.4) and calls the API
// within its scopes; a revoked client gets no token.

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const tokenRequest = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${runtime.http}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
});

const createClient = async (scopes: string[]) => {
  const staff = await actAs(runtime, "sam", "staff");
  return ok(
    staff.POST("/integrations/clients", {
      body: asSent({ name: "Billing system", contactEmail: "ops@billing.example", scopes }),
      headers: newOperation(),
    }),
  );
};

const usageBatch = {
  records: [
    {
      type: "compute",
      recordId: "r-1",
      awardId: "awd_00000000000000000000000000",
      chips: 8,
      startedAt: new Date(Date.now() - 2_000).toISOString(),
      endedAt: new Date(Date.now() - 1_000).toISOString(),
      chargeCents: 100,
    },
  ],
};

describe("integration clients and the token endpoint", () => {
  it("a client created by staff gets a token and calls POST /usage with its scope", async () => {
    const { client, clientSecret } = await createClient(["usage:write", "programs:read"]);
    expect(client.clientId).toMatch(/^cli_/);
    expect(client).not.toHaveProperty("secretHash");
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const answer = await tokenRequest(
      { grant_type: "client_credentials" },
      basic(client.clientId, clientSecret),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const token = (await answer.json()) as Record<string, unknown>;
    expect(token).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: "usage:write programs:read",
    });

    const integration = clientOf(runtime, token.access_token as string);
    const sent = await reply(integration.POST("/usage", { body: asSent(usageBatch) }));
    expect(sent.status).toBe(202);

    // Staff see the client, never its hash; the listing finds it.
    const staff = await actAs(runtime, "sam", "staff");
    const read = await ok(
      staff.GET("/integrations/clients/{clientId}", { params: { path: { clientId: client.clientId } } }),
    );
    expect(read).toEqual(client);
    const listed = await ok(staff.GET("/integrations/clients", { params: { query: { limit: 100 } } }));
    expect(listed.items.map((c) => c.clientId)).toContain(client.clientId);
    expect(JSON.stringify(listed)).not.toContain("scrypt");
  });

  it("a narrowed token lacks the scope: 403 naming it; client_secret_post works too", async () => {
    const { client, clientSecret } = await createClient(["usage:write", "programs:read"]);
    const answer = await tokenRequest({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: clientSecret,
      scope: "programs:read",
    });
    expect(answer.status).toBe(200);
    const token = (await answer.json()) as { access_token: string; scope: string };
    expect(token.scope).toBe("programs:read");
    const refused = await reply(
      clientOf(runtime, token.access_token).POST("/usage", { body: asSent(usageBatch) }),
    );
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("usage:write");
  });

  it("refuses bad grants, secrets and scopes the RFC 6749 way", async () => {
    const { client, clientSecret } = await createClient(["usage:write"]);
    const errorOf = async (response: Response) => ({
      status: response.status,
      error: ((await response.json()) as { error: string }).error,
    });
    expect(
      await errorOf(await tokenRequest({ grant_type: "password" }, basic(client.clientId, clientSecret))),
    ).toEqual({
      status: 400,
      error: "unsupported_grant_type",
    });
    expect(await errorOf(await tokenRequest({}, basic(client.clientId, clientSecret)))).toEqual({
      status: 400,
      error: "invalid_request",
    });
    const wrong = await tokenRequest(
      { grant_type: "client_credentials" },
      basic(client.clientId, `${clientSecret}x`),
    );
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(await errorOf(wrong)).toEqual({ status: 401, error: "invalid_client" });
    expect(
      await errorOf(
        await tokenRequest(
          { grant_type: "client_credentials", scope: "events:subscribe" },
          basic(client.clientId, clientSecret),
        ),
      ),
    ).toEqual({ status: 400, error: "invalid_scope" });
  });

  it("a revoked client gets no token; the record stays, revoked", async () => {
    const { client, clientSecret } = await createClient(["usage:write"]);
    const staff = await actAs(runtime, "sam", "staff");
    const revoked = await ok(
      staff.POST("/integrations/clients/{clientId}/revoke", {
        params: { path: { clientId: client.clientId } },
      }),
    );
    expect(revoked).toMatchObject({ status: "revoked", revokedBy: "sam", revision: 2 });
    const answer = await tokenRequest(
      { grant_type: "client_credentials" },
      basic(client.clientId, clientSecret),
    );
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { error: string }).error).toBe("invalid_client");
  });

  it("only staff manage clients; the create needs an Idempotency-Key and a retry does not make a second client", async () => {
    const integration = await actAs(runtime, "cli_x", "integration");
    expect((await reply(integration.GET("/integrations/clients", {}))).status).toBe(403);
    const staff = await actAs(runtime, "sam", "staff");
    const body = asSent({ name: "Analytics", contactEmail: "data@uni.example", scopes: ["events:read"] });
    expect((await reply(staff.POST("/integrations/clients", { body }))).status).toBe(400);
    const headers = newOperation();
    await ok(staff.POST("/integrations/clients", { body, headers }));
    expect((await reply(staff.POST("/integrations/clients", { body, headers }))).status).toBe(409);
  });
});

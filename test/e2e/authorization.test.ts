import { type RouteSpec, topology } from "@allot/stacks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOf, reply } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess } from "../support/runtime.js";

// Every route against every role, straight from stacks/: a role the route does not name is
// refused with 403 before any work, a caller without a valid token gets 401, and a role the
// route names is never refused (it may still get 400 or 404 for the dummy ids used here).

const roles = ["staff", "reviewer", "applicant", "integration"] as const;

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

/** The typed client's `request`, for routes walked as data: the answers are still checked against the document. */
interface AnyRoute {
  request(
    method: string,
    path: string,
    init: { params: { path: Record<string, string> }; body?: unknown },
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const call = (route: RouteSpec, token?: string) =>
  reply(
    (clientOf(runtime, token) as unknown as AnyRoute).request(route.method.toLowerCase(), route.path, {
      params: {
        path: Object.fromEntries(
          [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1], "does-not-exist"]),
        ),
      },
      ...(["POST", "PUT", "PATCH"].includes(route.method) ? { body: {} } : {}),
    }),
  );

describe("authorization matrix", () => {
  const cases = topology.routes.filter((r) => !r.public);

  it.each(cases.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", async (_, route) => {
    expect((await call(route)).status, "no token").toBe(401);
    expect((await call(route, "forged.token.value")).status, "bad token").toBe(401);
    for (const role of roles) {
      const res = await call(route, await runtime.token(`matrix-${role}`, role));
      if (route.roles.includes(role)) {
        expect(
          [401, 403],
          `${role} is allowed but got ${res.status} ${JSON.stringify(res.body)}`,
        ).not.toContain(res.status);
        expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      } else {
        expect(res.status, `${role} must be refused`).toBe(403);
      }
    }
  });

  it("serves the OpenAPI document without a token", async () => {
    const res = await reply(clientOf(runtime).GET("/openapi.json"));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).length).toBeGreaterThan(10);
  });

  it("refuses a token signed by another key", async () => {
    const { generateKeyPair, SignJWT } = await import("jose");
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ "allot:role": "staff" })
      .setProtectedHeader({ alg: "ES256" })
      .setSubject("mallory")
      .setIssuer("https://allot.local/issuer")
      .setAudience("allot")
      .setExpirationTime("1h")
      .sign(privateKey);
    expect((await reply(clientOf(runtime, forged).GET("/programs"))).status).toBe(401);
  });
});

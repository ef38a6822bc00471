import { readFileSync } from "node:fs";
import { topology } from "@allot/stacks";
import { beforeAll, describe, expect, it } from "vitest";
import { artifactPaths, renderArtifacts } from "../src/openapi/artifacts.js";

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { maxLength?: number; pattern?: string; type?: string };
}
interface Operation {
  operationId: string;
  security?: unknown[];
  "x-allot-roles"?: string[];
  "x-allot-scopes"?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  security: Array<Record<string, unknown>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

let rendered: { document: string; types: string };
let doc: Document;
const operation = (method: string, path: string) => doc.paths[path]?.[method.toLowerCase()] as Operation;
const pathParameters = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

beforeAll(async () => {
  rendered = await renderArtifacts();
  doc = JSON.parse(rendered.document);
}, 60_000);

/** A structural check of the parts of OpenAPI 3.1 this API uses; returns every problem found. */
const structuralProblems = (d: Document): string[] => {
  const problems: string[] = [];
  if (d.openapi !== "3.1.0") problems.push(`openapi is ${d.openapi}`);
  if (typeof d.info?.title !== "string" || typeof d.info?.version !== "string") problems.push("info");
  const schemes = Object.keys(d.components?.securitySchemes ?? {});
  const checkSecurity = (where: string, security: unknown[] | undefined) => {
    for (const requirement of security ?? [])
      for (const name of Object.keys(requirement as object))
        if (!schemes.includes(name)) problems.push(`${where}: unknown security scheme ${name}`);
  };
  checkSecurity("document", d.security);
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(d.paths)) {
    if (!path.startsWith("/")) problems.push(`${path}: does not start with /`);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!["get", "put", "post", "delete", "patch"].includes(method)) problems.push(`${where}: method`);
      if (!op.operationId || operationIds.has(op.operationId)) problems.push(`${where}: operationId`);
      operationIds.add(op.operationId);
      checkSecurity(where, op.security);
      const seen = new Set<string>();
      for (const p of op.parameters ?? []) {
        if (!["path", "query", "header", "cookie"].includes(p.in))
          problems.push(`${where}: ${p.name} in ${p.in}`);
        if (seen.has(`${p.in}:${p.name}`)) problems.push(`${where}: ${p.name} twice`);
        seen.add(`${p.in}:${p.name}`);
        if (!p.schema) problems.push(`${where}: ${p.name} has no schema`);
        if (p.in === "path" && p.required !== true) problems.push(`${where}: path ${p.name} not required`);
      }
      const declared = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      if (declared.sort().join() !== pathParameters(path).sort().join())
        problems.push(`${where}: path parameters ${declared} ≠ the template's`);
      if (!Object.keys(op.responses ?? {}).length) problems.push(`${where}: no responses`);
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!/^[1-5]\d\d$/.test(status)) problems.push(`${where}: status ${status}`);
        if (typeof response.description !== "string") problems.push(`${where} ${status}: no description`);
        if (!response.content?.["application/json"]?.schema) problems.push(`${where} ${status}: no schema`);
      }
    }
  }
  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(v, `${at}/${i}`);
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        if (k === "$ref") {
          const target = String(v)
            .replace(/^#\//, "")
            .split("/")
            .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], d);
          if (target === undefined) problems.push(`${at}: $ref ${v} does not resolve`);
        } else walk(v, `${at}/${k}`);
      }
  };
  walk(d, "#");
  return problems;
};

describe("the OpenAPI document", () => {
  it("is committed as generated, with the client's types (else run `npm run openapi`)", () => {
    expect(readFileSync(artifactPaths.document, "utf8") === rendered.document, "openapi.json is stale").toBe(
      true,
    );
    expect(readFileSync(artifactPaths.types, "utf8") === rendered.types, "client api.d.ts is stale").toBe(
      true,
    );
  });

  it("is structurally valid OpenAPI 3.1", () => {
    expect(structuralProblems(doc)).toEqual([]);
  });

  it("finds a broken document broken", () => {
    const broken = structuredClone(doc);
    const op = broken.paths["/awards/{awardId}"]?.get as Operation;
    op.parameters = [];
    (op.responses["200"] as { content?: unknown }).content = {
      "application/json": { schema: { $ref: "#/x" } },
    };
    expect(structuralProblems(broken)).toEqual([
      "GET /awards/{awardId}: path parameters  ≠ the template's",
      expect.stringMatching(/responses\/200\/.*: \$ref #\/x does not resolve$/),
    ]);
  });

  it("has every route with its roles, and the bearer JWT on every route that is not public", () => {
    expect(doc.components.securitySchemes.bearer).toEqual({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.oauth2).toMatchObject({
      type: "oauth2",
      flows: { clientCredentials: { tokenUrl: "/oauth2/token" } },
    });
    for (const route of topology.routes) {
      const op = operation(route.method, route.path);
      const key = `${route.method} ${route.path}`;
      expect(op?.operationId, key).toBe(route.function);
      expect(op?.["x-allot-roles"], key).toEqual(route.roles);
      if (route.public) expect(op?.security, key).toEqual([]);
      else {
        // Routes open to integrations also name the client-credentials scopes that open them.
        expect(op?.security, key).toEqual(
          route.scopes ? [{ bearer: [] }, { oauth2: route.scopes }] : undefined,
        );
        expect(op?.["x-allot-scopes"], key).toEqual(route.scopes);
        expect(Object.keys(op?.responses ?? {}), key).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
    expect(Object.values(doc.paths).flatMap((item) => Object.keys(item))).toHaveLength(
      topology.routes.length,
    );
  });

  it("declares the required Idempotency-Key header exactly where stacks/ requires it", () => {
    for (const route of topology.routes) {
      const header = operation(route.method, route.path)?.parameters?.find((p) => p.in === "header");
      if (route.idempotencyKey)
        expect(header, route.path).toMatchObject({ name: "Idempotency-Key", required: true });
      else expect(header, route.path).toBeUndefined();
    }
    expect(topology.routes.filter((r) => r.idempotencyKey).map((r) => r.path)).toEqual([
      ...["top-up", "extend", "suspend", "resume", "revoke", "redrive", "closeout/resume", "changes"].map(
        (a) => `/awards/{awardId}/${a}`,
      ),
      "/webhooks/subscriptions",
      "/webhooks/subscriptions/{subscriptionId}/secret/rotate",
      "/webhooks/subscriptions/{subscriptionId}/deliveries/{deliveryId}/redeliver",
      "/webhooks/subscriptions/{subscriptionId}/replay",
    ]);
  });

  it("gives every path parameter of every route a bounded format", () => {
    for (const route of topology.routes) {
      for (const name of pathParameters(route.path)) {
        const schema = operation(route.method, route.path)?.parameters?.find((p) => p.name === name)?.schema;
        expect(schema?.maxLength, `${route.method} ${route.path}: ${name}`).toBeLessThanOrEqual(128);
        expect(schema?.pattern, `${route.method} ${route.path}: ${name}`).toBeTruthy();
      }
    }
  });

  it("lists the query parameters the list handlers parse", () => {
    const query = (path: string) =>
      (operation("GET", path)?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
    expect(query("/awards")).toEqual(["programId", "status"]);
    expect(query("/calls")).toEqual(["open", "programId"]);
    expect(query("/proposals")).toEqual(["callId", "status"]);
    expect(query("/notifications")).toEqual(["proposalId", "limit", "cursor"]);
    expect(query("/programs/{programId}/cluster")).toEqual(["from", "to"]);
    expect(operation("GET", "/notifications").parameters?.find((p) => p.name === "limit")?.schema?.type).toBe(
      "integer",
    );
  });

  it("documents the success statuses each handler answers, and errors with the {message, issues} body", () => {
    const statuses = (method: string, path: string) => Object.keys(operation(method, path)?.responses ?? {});
    expect(statuses("POST", "/programs")).toEqual(expect.arrayContaining(["200", "201", "400", "409"]));
    expect(statuses("POST", "/proposals")).toEqual(expect.arrayContaining(["200", "201"]));
    expect(statuses("POST", "/awards/{awardId}/reservations")).toEqual(
      expect.arrayContaining(["200", "201", "202", "404", "409"]),
    );
    expect(statuses("POST", "/awards/{awardId}/redrive")).toContain("202");
    expect(statuses("POST", "/awards/{awardId}/redrive")).not.toContain("200");
    expect(statuses("POST", "/usage")).toEqual(expect.arrayContaining(["202", "413", "503"]));
    expect(statuses("GET", "/programs")).not.toContain("404");
    expect(
      operation("GET", "/awards/{awardId}").responses["404"]?.content?.["application/json"]?.schema,
    ).toEqual({
      $ref: "#/components/schemas/Error",
    });
    expect(doc.components.schemas.Error).toMatchObject({
      properties: { message: { type: "string" }, issues: { type: "array" } },
      required: ["message"],
    });
  });

  it("documents request bodies from the schemas the handlers validate", () => {
    for (const route of topology.routes.filter((r) => r.method !== "GET")) {
      const body = operation(route.method, route.path)?.requestBody;
      const withoutBody = [
        "accept-offer",
        "decline-offer",
        "submit-proposal",
        "cancel-reservation",
        "request-output-verification",
        "settle-award",
        "delete-subscription",
        "resume-subscription",
        "revoke-integration-client",
        "redeliver-webhook",
      ];
      if (withoutBody.includes(route.function)) expect(body, route.function).toBeUndefined();
      else expect(body?.content["application/json"]?.schema, route.function).toBeTruthy();
    }
  });
});

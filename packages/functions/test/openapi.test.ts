import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { topology } from "@allot/stacks";
import { describe, expect, it } from "vitest";
import { openApiDocument, requestBodies } from "../src/lib/openapi.js";

const root = resolve(import.meta.dirname, "../../..");

describe("the OpenAPI document", () => {
  it("documents, for every route, exactly the body schema its handler validates", async () => {
    for (const route of topology.routes) {
      const fn = topology.functions.find((f) => f.name === route.function);
      const [file, exportName = "handler"] = (fn?.handler ?? "").split("#");
      const module = await import(pathToFileURL(resolve(root, file ?? "")).href);
      const key = `${route.method} ${route.path}`;
      expect(module[exportName]?.bodySchema, key).toBe(requestBodies[key]);
    }
  });

  it("is OpenAPI 3.1 with every route and its roles", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    for (const route of topology.routes) {
      const op = (doc.paths[route.path] as Record<string, { operationId: string }>)[
        route.method.toLowerCase()
      ];
      expect(op?.operationId, `${route.method} ${route.path}`).toBe(route.function);
    }
  });

  it("declares the required Idempotency-Key header on every staff operation on awards", () => {
    const doc = openApiDocument();
    for (const action of ["top-up", "extend", "suspend", "resume", "revoke", "redrive"]) {
      const op = (doc.paths[`/awards/{awardId}/${action}`] as Record<string, { parameters: unknown[] }>).post;
      expect(op?.parameters, action).toContainEqual(
        expect.objectContaining({ name: "Idempotency-Key", in: "header", required: true }),
      );
    }
  });

  it("gives every path parameter of every route a bounded format", () => {
    const doc = openApiDocument();
    for (const route of topology.routes) {
      const op = (
        doc.paths[route.path] as Record<
          string,
          { parameters?: Array<{ name: string; schema: { maxLength?: number; pattern?: string } }> }
        >
      )[route.method.toLowerCase()];
      for (const name of [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
        const schema = op?.parameters?.find((p) => p.name === name)?.schema;
        expect(schema?.maxLength, `${route.method} ${route.path}: ${name}`).toBeLessThanOrEqual(128);
        expect(schema?.pattern, `${route.method} ${route.path}: ${name}`).toBeTruthy();
      }
    }
  });
});

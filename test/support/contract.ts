import { readFileSync } from "node:fs";
import type { Middleware } from "openapi-fetch";
import { artifactPaths } from "../../packages/functions/src/openapi/artifacts.js";
import { type RouteContract, routeContracts } from "../../packages/functions/src/openapi/contracts.js";
import { ErrorAnswer } from "../../packages/functions/src/responses/common.js";

// Every answer the e2e suites receive through the typed client is checked against the document
// and the handler's own response schema: a status the document does not list, or a body that
// does not fit its schema, fails the test that made the request.

const document = JSON.parse(readFileSync(artifactPaths.document, "utf8")) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};
let contracts: Promise<Map<string, RouteContract>> | undefined;
const contractOf = async (key: string) => {
  contracts ??= routeContracts().then(
    (all) => new Map(all.map((c) => [`${c.route.method} ${c.route.path}`, c])),
  );
  return (await contracts).get(key);
};

/** Problems with one answer, or [] when it is what the document promises. */
export const contractProblems = async (method: string, schemaPath: string, status: number, body: unknown) => {
  const key = `${method} ${schemaPath}`;
  const contract = await contractOf(key);
  if (!contract) return [`${key} is not a route of stacks/`];
  if (!document.paths[schemaPath]?.[method.toLowerCase()]?.responses[String(status)])
    return [`${key} answered ${status}, a status its OpenAPI operation does not list`];
  const schema =
    status >= 400
      ? ErrorAnswer
      : contract.contract.responses[status as keyof typeof contract.contract.responses];
  const parsed = schema?.safeParse(body);
  return parsed?.success === false
    ? [`${key} answered ${status} with a body that does not fit its schema: ${parsed.error.message}`]
    : [];
};

export const contractCheck: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const text = await response.clone().text();
    const problems = await contractProblems(
      request.method,
      schemaPath,
      response.status,
      text ? JSON.parse(text) : undefined,
    );
    if (problems.length) throw new Error(problems.join("\n"));
  },
};

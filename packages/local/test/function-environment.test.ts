import { join } from "node:path";
import { functionByName, type Link, topology } from "@allot/stacks";
import { envForLink, providerEnv, registriesEnv, subscriptionRulesEnv } from "@allot/stacks/env";
import { createLambdaRegistry, type FunctionSpec, INHERITED_VARIABLES, silentLogger } from "aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_TELEMETRY_ENV } from "../src/local-telemetry.js";
import { repositoryRoot } from "../src/runtime.js";
import { type LocalServices, linkEnvironment, localFunction } from "../src/topology-to-aws-local.js";

// Locally every function runs in one process; these check that each still sees only what its
// links in stacks/ give it, so a missing link fails here as it would on AWS.

const services: LocalServices = {
  providerUrl: "http://127.0.0.1:9",
  providerSecret: "secret",
  publicUrl: "http://127.0.0.1:10",
  registriesUrl: "http://127.0.0.1:11",
  mailDir: "/tmp/outbox",
};
// Nothing listens there: a call that gets this far fails at once instead of reaching data.
const common = () => ({
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
  AWS_MAX_ATTEMPTS: "1",
});
const probeModule = join(repositoryRoot, "packages/aws-local/test/fixtures/environment-probe.ts");

/** The variables a link sets, spelled out from stacks/src/env.ts and the local mail outbox. */
const variablesOf = (link: Link): string[] => {
  switch (link.kind) {
    case "provider":
      return Object.values(providerEnv);
    case "mail":
      return [envForLink(link), "ALLOT_MAIL_DIR"];
    case "registries":
      return [registriesEnv.crossref, registriesEnv.datacite, registriesEnv.arxiv, registriesEnv.github];
    case "subscriptionRules":
      return Object.values(subscriptionRulesEnv);
    default:
      return [envForLink(link)];
  }
};

describe("each function's environment, locally", () => {
  // What the runtime used to give every function: all the links' variables in one process.
  const shared = { ALLOT_TABLE_ALLOT: "allot", ALLOT_BUS_ALLOT: "allot", ALLOT_PROVIDER_SECRET: "shared" };
  beforeAll(() => Object.assign(process.env, shared));
  afterAll(() => {
    for (const name of Object.keys(shared)) delete process.env[name];
  });

  it("holds exactly the variables of its links in stacks/, for every function", async () => {
    const functions = topology.functions.map(
      (fn): FunctionSpec => ({ ...localFunction(fn, services), module: probeModule, handler: "probe" }),
    );
    const registry = createLambdaRegistry({
      functions,
      rootDir: repositoryRoot,
      logger: silentLogger,
      commonEnvironment: common,
    });
    for (const fn of topology.functions) {
      const result = await registry.invoke(fn.name, {});
      if (!result.ok) throw new Error(`${fn.name}: ${result.errorMessage}`);
      const { env } = result.payload as { env: Record<string, string> };
      const expected = [...new Set(fn.links.flatMap(variablesOf))].sort();
      const own = Object.keys(env)
        .filter((name) => name.startsWith("ALLOT_"))
        .sort();
      expect(own, fn.name).toEqual(expected);
      const others = Object.keys(env).filter(
        (name) =>
          !name.startsWith("ALLOT_") &&
          !name.startsWith("AWS_") &&
          !INHERITED_VARIABLES.includes(name) &&
          !(name in LOCAL_TELEMETRY_ENV),
      );
      expect(others, fn.name).toEqual([]);
      // Tracing and metrics off, quietly (local-telemetry.ts).
      expect(env, fn.name).toMatchObject(LOCAL_TELEMETRY_ENV);
      expect(env.AWS_LAMBDA_FUNCTION_NAME, fn.name).toBe(fn.name);
    }
  });

  it("fails a handler that reads a table its function is not linked to, as AWS would", async () => {
    const linked = functionByName("screen-proposal");
    const unlinked = {
      ...linked,
      name: "screen-proposal-unlinked",
      links: linked.links.filter((link) => link.kind !== "table"),
    };
    const registry = createLambdaRegistry({
      functions: [localFunction(linked, services), localFunction(unlinked, services)],
      rootDir: repositoryRoot,
      logger: silentLogger,
      commonEnvironment: common,
    });
    const input = { proposalId: `prp_${"0".repeat(26)}` };
    // The linked function builds the shared module's clients first; the unlinked one must not
    // inherit them, nor the process's own variables.
    const first = await registry.invoke("screen-proposal", input);
    expect(first.ok).toBe(false);
    expect(first.ok ? "" : first.errorMessage).not.toContain("is not set");
    const result = await registry.invoke("screen-proposal-unlinked", input);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.errorMessage).toMatch(
      /^ALLOT_TABLE_ALLOT is not set: is this function linked/,
    );
  });
});

describe("a registries link, locally", () => {
  it("points each verification adapter at its service on the registries stand-in", () => {
    expect(linkEnvironment({ kind: "registries" }, services)).toEqual({
      [registriesEnv.crossref]: "http://127.0.0.1:11/crossref",
      [registriesEnv.datacite]: "http://127.0.0.1:11/datacite",
      [registriesEnv.arxiv]: "http://127.0.0.1:11/arxiv",
      [registriesEnv.github]: "http://127.0.0.1:11/github",
    });
  });
});

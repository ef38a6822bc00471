import { topology } from "@allot/stacks";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, ok, submission } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess } from "../support/runtime.js";
import {
  exemplar,
  HUGE_STRING,
  hostileValue,
  type JsonSchema,
  mutated,
  oneLeafVariants,
} from "./arbitraries.js";
import { type RawResponse, rawRequest } from "./http-client.js";

// Every operation of the running stack's /openapi.json, called with a valid token of each of its
// roles and hostile input: malformed JSON, wrong types, 100 KB strings, extreme numbers, unknown
// fields, odd path parameters, wrong content types, odd query strings. Whatever comes in, the
// answer is a 4xx or 2xx with a JSON body (errors carrying a `message`), never a 5xx, never a hang.
// Reproducible: a fixed seed (ALLOT_FUZZ_SEED overrides it) and a bounded number of runs.

const SEED = Number(process.env.ALLOT_FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.ALLOT_FUZZ_RUNS ?? 12);
const REQUEST_TIMEOUT_MS = 20_000;

interface Operation {
  method: string;
  path: string;
  roles: string[];
  params: string[];
  body?: JsonSchema;
}

interface Case {
  role: string;
  params: Record<string, string>;
  query?: string;
  contentType?: string;
  body?: string;
  /** What this case changes, when the body is too long to show. */
  label?: string;
}

const oddPathValues = [
  "%ZZ",
  "%",
  "%E0%A4%A",
  "%00",
  "a".repeat(2_048),
  "..",
  "%2e%2e",
  "a%2Fb",
  encodeURIComponent("ü日本語🙂"),
  "%20",
  "",
];

const oddQueries = [
  "limit=-1&cursor=%ZZ",
  `programId=${"p".repeat(2_048)}&open=maybe`,
  "from=not-a-date&to=%ZZ",
  "from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
  "status=%00&awardId=..&callId=",
  `limit=1e308&cursor=${"c".repeat(4_096)}`,
];

const malformedBodies: Array<[string | undefined, string]> = [
  ["application/json", '{"a":'],
  ["application/json", '{"amountCents": NaN}'],
  ["application/json", "null"],
  ["application/json", "[]"],
  ["application/json", '"a string"'],
  ["application/json", "-1e309"],
  ["application/json", `${"[".repeat(5_000)}${"]".repeat(5_000)}`],
  ["application/json", JSON.stringify({ unexpected: HUGE_STRING })],
  ["text/plain", '{"reason":"plain text"}'],
  ["application/x-www-form-urlencoded", "reason=form&amountCents=1"],
  ["application/octet-stream", "\u0000\u0001\u0002"],
  [undefined, '{"reason":"no content type"}'],
];

let runtime: RuntimeProcess;
let operations: Operation[] = [];
const tokens = new Map<string, string>();
const validIds: Record<string, string> = {};
const tally = { requests: 0, serverErrors: 0, failures: 0 };

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const document = (await (await fetch(`${runtime.http}/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
    >;
  };
  operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => {
      const upper = method.toUpperCase();
      const route = topology.routes.find((r) => r.method === upper && r.path === path);
      return {
        method: upper,
        path,
        roles: route?.public ? ["none"] : (route?.roles ?? []),
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
        body: op.requestBody?.content["application/json"]?.schema,
      };
    }),
  );
  for (const role of ["staff", "applicant", "reviewer", "integration"]) {
    tokens.set(role, await runtime.token(role === "reviewer" ? "rev-ada" : `fuzz-${role}`, role));
  }
  // Ids that exist (or are well formed), so a request also reaches the lookups behind the checks.
  const applicant = await actAs(runtime, "fuzz-applicant", "applicant");
  const draft = await ok(applicant.POST("/proposals", { body: submission("call-2027-spring") }));
  Object.assign(validIds, {
    programId: "model-program",
    callId: "call-2027-spring",
    reviewerId: "rev-ada",
    proposalId: draft.proposalId,
    awardId: `awd_${String(draft.proposalId).slice(4)}`,
    assignmentId: `asg_${"0".repeat(26)}`,
    reservationId: `rsv_${"0".repeat(26)}`,
    changeId: `chg_${"0".repeat(26)}`,
  });
}, 150_000);

afterAll(async () => {
  console.info(
    `fuzz (seed ${SEED}, ${RUNS} generated cases per operation): ${tally.requests} requests, ${tally.serverErrors} answered 5xx, ${tally.failures} failed a check`,
  );
  await runtime?.stop();
});

const send = (op: Operation, c: Case): Promise<RawResponse> => {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => c.params[name] ?? "");
  const token = tokens.get(c.role);
  return rawRequest(
    runtime.http,
    {
      method: op.method,
      path: c.query ? `${path}?${c.query}` : path,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(c.contentType ? { "content-type": c.contentType } : {}),
      },
      body: c.body,
    },
    REQUEST_TIMEOUT_MS,
  );
};

const describeCase = (op: Operation, c: Case) =>
  `${op.method} ${op.path} as ${c.role} params=${JSON.stringify(c.params).slice(0, 200)}` +
  ` query=${(c.query ?? "").slice(0, 100)} content-type=${c.contentType}` +
  (c.label ? ` body: exemplar with ${c.label}` : ` body=${(c.body ?? "").slice(0, 300)}`);

/** Throws (with the case) unless the answer is below 500 and, for an error, JSON with a message. */
const check = async (op: Operation, c: Case) => {
  tally.requests++;
  const res = await send(op, c).catch((error: Error) => {
    tally.failures++;
    throw new Error(`${error.message}\n  ${describeCase(op, c)}`);
  });
  const fail = (why: string) => {
    tally.failures++;
    throw new Error(`${why}: ${res.status} ${res.text.slice(0, 300)}\n  ${describeCase(op, c)}`);
  };
  if (res.status >= 500) {
    tally.serverErrors++;
    fail("server error");
  }
  if (res.status >= 400) {
    if (!res.contentType.includes("application/json"))
      fail(`error without a JSON content type (${res.contentType})`);
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      fail("error body is not JSON");
    }
    const message = (body as { message?: unknown } | null)?.message;
    if (typeof message !== "string" || !message) fail("error body without a message");
  }
};

const bodyText = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

const caseArbitrary = (op: Operation): fc.Arbitrary<Case> =>
  fc.record({
    role: fc.constantFrom(...op.roles),
    params: fc.record(
      Object.fromEntries(
        op.params.map((name) => [
          name,
          fc.oneof(
            { weight: 3, arbitrary: fc.constant(validIds[name] ?? "x") },
            { weight: 2, arbitrary: fc.constantFrom(...oddPathValues) },
            { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
          ),
        ]),
      ),
    ),
    query: fc.option(fc.constantFrom(...oddQueries), { nil: undefined }),
    contentType: fc.constantFrom("application/json", "application/json; charset=utf-8"),
    body: (op.body ? mutated(op.body) : fc.option(hostileValue, { nil: undefined })).map(bodyText),
  });

describe("fuzzing every operation of /openapi.json", () => {
  it("has operations to fuzz", () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  const errors: string[] = [];
  // One test per operation, named after it; the operations come from the running stack.
  it.each(topology.routes.map((r) => [`${r.method} ${r.path}`] as const))(
    "%s",
    async (key) => {
      const op = operations.find((o) => `${o.method} ${o.path}` === key);
      if (!op) throw new Error(`${key} is in stacks/ but not in /openapi.json`);
      const valid = Object.fromEntries(op.params.map((n) => [n, validIds[n] ?? "x"]));
      const fixed: Case[] = [];
      for (const role of op.roles) {
        for (const name of op.params) {
          for (const odd of oddPathValues) fixed.push({ role, params: { ...valid, [name]: odd } });
        }
        if (["POST", "PUT", "PATCH"].includes(op.method)) {
          for (const [contentType, body] of malformedBodies)
            fixed.push({ role, params: valid, contentType, body });
        }
        if (op.body && role === op.roles[0]) {
          for (const variant of oneLeafVariants(exemplar(op.body, validIds))) {
            fixed.push({
              role,
              params: valid,
              contentType: "application/json",
              body: JSON.stringify(variant.value),
              label: variant.label,
            });
          }
        }
        for (const query of oddQueries.slice(0, op.method === "GET" ? oddQueries.length : 1)) {
          fixed.push({ role, params: valid, query });
        }
      }
      const record = (c: Case) =>
        check(op, c).catch((error: Error) => {
          errors.push(error.message);
        });
      for (const c of fixed) await record(c);
      // Every generated case runs (a failure is recorded, not thrown) so one run counts them all.
      await fc.assert(fc.asyncProperty(caseArbitrary(op), record), { seed: SEED, numRuns: RUNS });
      if (errors.length) {
        const found = errors.splice(0);
        throw new Error(
          `${found.length} failing request(s) (fuzz seed ${SEED}, ALLOT_FUZZ_SEED to replay):\n${found.slice(0, 12).join("\n")}`,
        );
      }
    },
    120_000,
  );
});

// The defects the first fuzzing run found, named: each answered 500 before.
describe("bad input found by fuzzing", () => {
  const as = (role: string) => (method: string, path: string, body?: unknown) =>
    rawRequest(
      runtime.http,
      {
        method,
        path,
        headers: { authorization: `Bearer ${tokens.get(role)}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      REQUEST_TIMEOUT_MS,
    ).then((res) => ({ status: res.status, body: JSON.parse(res.text) as { message: string } }));

  it("a body over API Gateway's 10 MB is a 413 with a message", async () => {
    const res = await as("integration")("POST", "/usage", {
      records: [],
      padding: "x".repeat(11 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/10 MB/);
  });

  it("a malformed percent-escape in the path is a 400 saying so", async () => {
    const res = await as("staff")("GET", "/awards/%ZZ");
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/percent-escape/);
  });

  it("a path id of the wrong format is a 400 naming the format; a well-formed unknown id is a 404", async () => {
    const long = await as("staff")("GET", `/awards/awd_${"a".repeat(2_048)}`);
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/awardId must be an award id \(awd_ and 26 letters or digits\)/);
    expect((await as("staff")("GET", `/calls/${"c".repeat(2_048)}`)).status).toBe(400);
    expect((await as("staff")("GET", `/awards/awd_${"0".repeat(26)}`)).status).toBe(404);
    expect((await as("staff")("GET", "/calls/no-such-call")).status).toBe(404);
  });

  it("a 100 KB call id in a draft, or a 2 KB reviewer id in a pool or a new call, is a 400 on that field", async () => {
    const draft = await as("applicant")("POST", "/proposals", submission(HUGE_STRING));
    expect(draft.status).toBe(400);
    expect(JSON.stringify(draft.body)).toContain('"field":"callId"');
    const pool = await as("staff")("POST", "/calls/call-2027-spring/reviewers", {
      reviewerIds: ["r".repeat(2_048)],
    });
    expect(pool.status).toBe(400);
    expect(JSON.stringify(pool.body)).toContain('"field":"reviewerIds.0"');
    const call = await as("staff")("POST", "/programs/model-program/calls", {
      reviewerPool: ["r".repeat(2_048)],
    });
    expect(call.status).toBe(400);
    expect(JSON.stringify(call.body)).toContain('"field":"reviewerPool.0"');
  });
});

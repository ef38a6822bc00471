import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type CatalogEntry, catalogEntryOf, defineEvent, versioningProblems } from "../src/events/index.js";

// The versioning checker, on planted changes of one event: each breaking change must be found,
// each additive one must pass.

const base = {
  grantId: z.string(),
  cents: z.number().int(),
  share: z.number(),
  outcome: z.enum(["approve", "decline"]),
  note: z.string().optional(),
  tags: z.array(z.object({ key: z.string(), weight: z.number().int() })),
  closedAt: z.string().nullable(),
  label: z.string().max(20),
};
type Shape = Record<string, z.ZodType>;
const exampleFor = (shape: Shape) => {
  const example: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const sample = [
      "grant-1",
      1,
      ["approve"],
      "2027-03-01T09:30:00.000Z",
      null,
      [{ key: "k", weight: 1 }],
      [],
      true,
      "approve",
    ].find((v) => schema.safeParse(v).success);
    if (sample !== undefined) example[key] = sample;
  }
  return example;
};
const entry = (shape: Shape, version = 1, docs: { deprecatedBy?: number; deprecatedUntil?: string } = {}) =>
  catalogEntryOf(
    defineEvent("allot.test", "Grant Moved", version, z.object(shape), {
      description: "A planted event.",
      example: exampleFor(shape),
      ...docs,
    }),
  );
const committed: CatalogEntry[] = [entry(base)];
const check = (current: CatalogEntry[], today = "2027-06-01") =>
  versioningProblems(committed, current, today);
const changed = (patch: Shape) => check([entry({ ...base, ...patch })]);
const without = (key: keyof typeof base) => {
  const { [key]: _, ...rest } = base;
  return check([entry(rest)]);
};

describe("the versioning checker", () => {
  it("passes the same catalog", () => {
    expect(check([entry(base)])).toEqual([]);
  });

  it.each<[string, () => string[], RegExp]>([
    ["a removed field", () => without("cents"), /detail\.data\.cents: removed/],
    [
      "a field of another type",
      () => changed({ grantId: z.number() }),
      /grantId: its type changed from string to number/,
    ],
    [
      "a number narrowed to an integer",
      () => changed({ share: z.number().int() }),
      /share: its type changed/,
    ],
    [
      "an optional field made required",
      () => changed({ note: z.string() }),
      /note: was optional and is now required/,
    ],
    [
      "a required field made optional",
      () => changed({ grantId: z.string().optional() }),
      /grantId: was required and is now optional/,
    ],
    ["a new required field", () => changed({ region: z.string() }), /region: a new required property/],
    [
      "an enum value removed",
      () => changed({ outcome: z.enum(["approve"]) }),
      /outcome: enum values removed: "decline"/,
    ],
    ["a format added", () => changed({ grantId: z.iso.datetime() }), /grantId: its format changed/],
    [
      "a bound tightened",
      () => changed({ label: z.string().max(10) }),
      /label: maxLength tightened from 20 to 10/,
    ],
    ["null no longer accepted", () => changed({ closedAt: z.string() }), /closedAt: its type changed/],
    [
      "a field removed inside array items",
      () => changed({ tags: z.array(z.object({ key: z.string() })) }),
      /tags\[\]\.weight: removed/,
    ],
    ["the event no longer published", () => check([]), /"Grant Moved" v1: no longer published/],
    [
      "a new version while the old one does not name it",
      () => check([entry(base), entry({ grantId: z.string() }, 2)]),
      /v1: an older version must name its successor/,
    ],
    [
      "a deprecation naming an unpublished version",
      () => check([entry(base, 1, { deprecatedBy: 2, deprecatedUntil: "2027-09-30" })]),
      /deprecated by version 2, which is not published/,
    ],
    [
      "a deprecation with no end",
      () => check([entry(base, 1, { deprecatedBy: 2 }), entry({ grantId: z.string() }, 2)]),
      /says until when it is published/,
    ],
  ])("fails on %s", (_, run, problem) => {
    const problems = run();
    expect(
      problems.some((p) => problem.test(p)),
      problems.join("\n"),
    ).toBe(true);
  });

  it.each<[string, () => string[]]>([
    ["an optional field added", () => changed({ region: z.string().optional() })],
    ["an enum value added", () => changed({ outcome: z.enum(["approve", "decline", "waitlist"]) })],
    ["an integer widened to a number", () => changed({ cents: z.number() })],
    ["a description added", () => changed({ grantId: z.string().describe("The grant.") })],
    ["a bound loosened", () => changed({ label: z.string().max(40) })],
    [
      "a new version with the old one deprecated and both published",
      () =>
        check([
          entry(base, 1, { deprecatedBy: 2, deprecatedUntil: "2027-09-30" }),
          entry({ grantId: z.string() }, 2),
        ]),
    ],
  ])("passes %s", (_, run) => {
    expect(run()).toEqual([]);
  });

  it("lets a deprecated version go only after its window ends", () => {
    const deprecated = [
      entry(base, 1, { deprecatedBy: 2, deprecatedUntil: "2027-09-30" }),
      entry({ grantId: z.string() }, 2),
    ];
    const onlyV2 = [entry({ grantId: z.string() }, 2)];
    expect(versioningProblems(deprecated, onlyV2, "2027-09-30")).toEqual([
      expect.stringMatching(/v1: no longer published/),
    ]);
    expect(versioningProblems(deprecated, onlyV2, "2027-10-01")).toEqual([]);
    expect(
      versioningProblems(
        deprecated,
        [entry(base, 1, { deprecatedBy: 2, deprecatedUntil: "2027-08-01" }), onlyV2[0] as CatalogEntry],
        "2027-06-01",
      ),
    ).toEqual([expect.stringMatching(/window was shortened/)]);
  });
});

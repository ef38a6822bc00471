import { asyncApiDocument, eventCatalogDocument, type JsonSchema, messageIdOf } from "@allot/core/events";
import { Parser } from "@asyncapi/parser";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { eventCatalog } from "../src/index.js";

const label = (e: { source: string; detailType: string; version: number }) =>
  `${e.source} "${e.detailType}" v${e.version}`;
const entries = eventCatalogDocument(eventCatalog);

/**
 * The personal-data rule: a property is personal when its name, split into words (camelCase,
 * snake_case, kebab-case), has a word naming contact details or a person (email, mail, name,
 * surname, phone, telephone, mobile, address, orcid, birthdate, birthday, dob, ssn, passport),
 * or its lower-cased name contains email, e-mail, phone, surname or orcid. Events carry ids: the
 * records behind them say who is who to whoever may know.
 */
const personalWords = new Set([
  "email",
  "mail",
  "name",
  "surname",
  "phone",
  "telephone",
  "mobile",
  "address",
  "orcid",
  "birthdate",
  "birthday",
  "dob",
  "ssn",
  "passport",
]);
const personalFragments = ["email", "e-mail", "phone", "surname", "orcid"];
const isPersonal = (name: string) => {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const lower = name.toLowerCase();
  return words.some((w) => personalWords.has(w)) || personalFragments.some((f) => lower.includes(f));
};

/** Every property name at any depth of a JSON Schema that the rule calls personal, with its path. */
const personalFields = (schema: unknown, at = ""): string[] => {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => personalFields(s, `${at}[${i}]`));
  if (!schema || typeof schema !== "object") return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === "properties" && value && typeof value === "object")
      for (const [name, property] of Object.entries(value as Record<string, unknown>)) {
        if (isPersonal(name)) found.push(`${at}.${name}`);
        found.push(...personalFields(property, `${at}.${name}`));
      }
    else if (key !== "examples" && key !== "const" && key !== "enum")
      found.push(...personalFields(value, at));
  }
  return found;
};

const ajv = () => {
  const instance = new Ajv2020({ strict: true, allErrors: true });
  addFormats(instance);
  return instance;
};

describe("the event catalog", () => {
  it("has each (source, detail-type, version) once, sorted", () => {
    const keys = entries.map(label);
    expect(new Set(keys).size).toBe(keys.length);
    expect(entries).toHaveLength(eventCatalog.length);
    expect(eventCatalog.length).toBeGreaterThanOrEqual(60);
  });

  it("documents every event: a description and an example", () => {
    for (const definition of eventCatalog) {
      expect(definition.docs?.description.length ?? 0, label(definition)).toBeGreaterThanOrEqual(30);
      expect(definition.docs?.description, label(definition)).toMatch(/\.$/);
      expect(definition.docs?.example, label(definition)).toBeTypeOf("object");
    }
  });

  it("has every example valid against the event's zod schema, as publishers and consumers validate", () => {
    for (const definition of eventCatalog) {
      const parsed = definition.data.safeParse(definition.docs.example);
      expect(parsed.success ? [] : parsed.error.issues, label(definition)).toEqual([]);
    }
  });

  it("has every example valid against the published JSON Schemas (detail and webhook body)", () => {
    const validator = ajv();
    for (const entry of entries)
      for (const part of ["detail", "webhook"] as const) {
        const validate = validator.compile(entry.schema[part]);
        expect(validate(entry.example[part]) ? [] : validate.errors, `${label(entry)} ${part}`).toEqual([]);
      }
  });

  it("refuses an example that breaks the schema (the check can fail)", () => {
    const entry = entries.find((e) => e.detailType === "Decision Recorded");
    const validate = ajv().compile(entry?.schema.webhook as JsonSchema);
    const example = structuredClone(entry?.example.webhook) as { data: Record<string, unknown> };
    example.data.outcome = "maybe";
    expect(validate(example)).toBe(false);
    delete example.data.proposalId;
    example.data.outcome = "approve";
    expect(validate(example)).toBe(false);
  });

  it("has no schema with a field named like personal data, at any depth", () => {
    for (const entry of entries)
      expect(
        [...personalFields(entry.schema.detail), ...personalFields(entry.schema.webhook)],
        label(entry),
      ).toEqual([]);
  });

  it("finds planted personal fields at any depth (the rule can fail)", () => {
    const planted = {
      type: "object",
      properties: {
        awardId: { type: "string" },
        piEmail: { type: "string" },
        contact_phone: { type: "string" },
        team: {
          type: "array",
          items: {
            type: "object",
            properties: { firstName: {}, lastName: {}, fullName: {}, name: {}, orcid: {}, postalAddress: {} },
          },
        },
        detailType: { type: "string" },
        institutionId: { type: "string" },
      },
    };
    expect(personalFields(planted)).toEqual([
      ".piEmail",
      ".contact_phone",
      ".team.firstName",
      ".team.lastName",
      ".team.fullName",
      ".team.name",
      ".team.orcid",
      ".team.postalAddress",
    ]);
  });
});

describe("the AsyncAPI document", () => {
  const document = asyncApiDocument(eventCatalog);

  it("parses with @asyncapi/parser with no error diagnostics", async () => {
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
    expect(
      diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join("/")}: ${d.message}`),
    ).toEqual([]);
    expect(parsed?.version()).toBe("3.0.0");
    expect(parsed?.channels().length).toBe(eventCatalog.length + 1);
    expect(
      parsed
        ?.operations()
        .all()
        .every((op) => op.action() === "send"),
    ).toBe(true);
    const award = parsed?.messages().get("awards.AwardOffered.v1");
    expect(award?.payload()?.properties()?.detail?.properties()?.data?.required()).toEqual([
      "awardId",
      "proposalId",
      "programId",
      "offerExpiresAt",
    ]);
  }, 60_000);

  it("finds a broken document broken (the parse check can fail)", async () => {
    const broken = structuredClone(document) as Record<string, unknown> & {
      operations: Record<string, unknown>;
    };
    broken.operations["publish.awards.AwardOffered.v1"] = {
      action: "publish",
      channel: { $ref: "#/channels/nope" },
    };
    const { diagnostics } = await new Parser().parse(JSON.stringify(broken));
    expect(diagnostics.filter((d) => d.severity === 0).length).toBeGreaterThan(0);
  }, 60_000);

  it("has a channel, a bus message and a webhook message per event, with examples", () => {
    for (const definition of eventCatalog) {
      const id = messageIdOf(definition);
      expect(document.channels[id], id).toBeDefined();
      expect(document.components.messages[id], id).toMatchObject({ examples: [expect.anything()] });
      expect(document.components.messages[`${id}.webhook`], id).toMatchObject({
        headers: { $ref: "#/components/schemas/StandardWebhooksHeaders" },
      });
    }
  });

  it("signs its webhook examples per Standard Webhooks (the reference library verifies them)", async () => {
    const { Webhook } = await import("standardwebhooks");
    const { exampleSigningSecret } = await import("@allot/core/events");
    const message = document.components.messages["awards.AwardOffered.v1.webhook"] as {
      examples: Array<{ headers: Record<string, string>; payload: unknown }>;
    };
    const [example] = message.examples;
    const verifier = new Webhook(exampleSigningSecret.slice("whsec_".length));
    const at = Number(example?.headers["webhook-timestamp"]) * 1000;
    const realNow = Date.now;
    Date.now = () => at;
    try {
      expect(verifier.verify(JSON.stringify(example?.payload), example?.headers ?? {})).toEqual(
        example?.payload,
      );
    } finally {
      Date.now = realNow;
    }
  });
});

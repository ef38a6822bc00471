import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { Actor } from "../actor.js";
import { InstitutionId, Slug, Text } from "../bounds.js";
import { type FieldIssue, fieldIssuesOf, forbidden, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import { normalizeInstitution } from "../review/conflicts.js";
import type { ProgramDeps } from "./commands.js";
import { PartnerInstitutionSaved } from "./events.js";
import type { PartnerInstitutionRecord } from "./ports.js";
import { Cents } from "./schema.js";

/** The body of PUT /programs/{programId}/institutions/{institutionId}: the id comes from the path. */
export const PartnerInstitutionFields = z.object({
  /** The name applicants and notices see. */
  name: Text(200, 2, "is required (at least 2 characters)"),
  /** Other spellings staff know the institution by; screening flags free text that matches one. */
  aliases: z
    .array(Text(200, 1, "must not be empty"))
    .max(20, "at most 20 aliases")
    .default([]),
  /** The most credits the institution may hold across its awards in this program. */
  creditCapCents: Cents,
});
export type PartnerInstitutionFields = z.infer<typeof PartnerInstitutionFields>;

export const PartnerInstitutionId = InstitutionId;

/** Every name staff gave the institution, as institution names are compared. */
const namesOf = (i: { name: string; aliases: readonly string[] }) =>
  [i.name, ...i.aliases].map(normalizeInstitution).filter(Boolean);

/**
 * The partner institution whose name or alias the free text is, if any. Never makes a proposal
 * a partner: it only tells staff (screening) and keeps the cap from being dodged (commitment).
 */
export const partnerNamed = <T extends { name: string; aliases: readonly string[] }>(
  text: string | undefined,
  institutions: readonly T[],
): T | undefined => {
  const key = text ? normalizeInstitution(text) : "";
  return key ? institutions.find((i) => namesOf(i).includes(key)) : undefined;
};

// An id that is no program id cannot name one: never sent to the table as a key (DynamoDB
// refuses keys of 2 KB and more), nor echoed back whole.
const programNamed = async (deps: Pick<ProgramDeps, "programs">, programId: string) => {
  const program = Slug.safeParse(programId).success ? await deps.programs.get(programId) : undefined;
  if (!program) throw notFound(`Program ${programId.slice(0, 64)}`);
  return program;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const fieldsOf = (r: PartnerInstitutionRecord): PartnerInstitutionFields => ({
  name: r.name,
  aliases: r.aliases,
  creditCapCents: r.creditCapCents,
});

// One name may lead to one institution only, or screening and the cap could not tell which.
const nameClashes = (
  institutionId: string,
  fields: PartnerInstitutionFields,
  others: readonly PartnerInstitutionRecord[],
): FieldIssue[] =>
  [fields.name, ...fields.aliases].flatMap((name, i) => {
    const other = partnerNamed(
      name,
      others.filter((o) => o.institutionId !== institutionId),
    );
    return other
      ? [
          {
            field: i === 0 ? "name" : `aliases.${i - 1}`,
            message: `"${name}" already names partner institution ${other.institutionId}`,
          },
        ]
      : [];
  });

/**
 * Staff create or replace a partner institution of a program. Idempotent by its id: an identical
 * body answers with the stored institution and writes nothing; a changed one is a new revision,
 * and its cap moves the institution's ledger balance in the same write (refused below what the
 * institution already holds).
 */
export const putPartnerInstitution = async (
  deps: ProgramDeps,
  actor: Actor,
  programId: string,
  institutionId: string,
  input: unknown,
): Promise<{ institution: PartnerInstitutionRecord; created: boolean }> => {
  if (actor.role !== "staff") throw forbidden("Only program staff manage partner institutions");
  const issues: FieldIssue[] = [];
  if (!PartnerInstitutionId.safeParse(institutionId).success)
    issues.push({
      field: "institutionId",
      message: "use 2–63 lower-case letters, digits and dashes, starting with a letter or digit",
    });
  if (isRecord(input) && input.institutionId !== undefined && input.institutionId !== institutionId)
    issues.push({
      field: "institutionId",
      message: `must be ${institutionId.slice(0, 64)}, as in the path, or left out`,
    });
  const { institutionId: _id, ...body } = isRecord(input) ? input : { institutionId: undefined };
  const parsed = PartnerInstitutionFields.safeParse(isRecord(input) ? body : input);
  if (!parsed.success) issues.push(...fieldIssuesOf(parsed.error));
  if (issues.length || !parsed.success) throw validationError("The partner institution is invalid", issues);
  const fields = parsed.data;

  const program = await programNamed(deps, programId);
  if (fields.creditCapCents > program.caps.maxPartnerCreditsCents)
    issues.push({
      field: "creditCapCents",
      message: `must not exceed the program's partner cap (caps.maxPartnerCreditsCents = ${program.caps.maxPartnerCreditsCents})`,
    });
  const all = await deps.programs.listInstitutions(programId);
  issues.push(...nameClashes(institutionId, fields, all));
  if (issues.length) throw validationError("The partner institution is invalid", issues);

  const existing = all.find((i) => i.institutionId === institutionId);
  if (existing && isDeepStrictEqual(fieldsOf(existing), fields))
    return { institution: existing, created: false };
  const at = deps.clock.now().toISOString();
  const record: PartnerInstitutionRecord = {
    programId,
    institutionId,
    ...fields,
    updatedAt: at,
    updatedBy: actor.userId,
    revision: (existing?.revision ?? 0) + 1,
  };
  await deps.programs.putInstitution(record, existing?.revision ?? null, [
    createEvent(
      PartnerInstitutionSaved,
      `program:${programId}:institution:${institutionId}:${record.revision}`,
      at,
      {
        programId,
        institutionId,
        creditCapCents: record.creditCapCents,
        revision: record.revision,
      },
    ),
  ]);
  return { institution: record, created: !existing };
};

/**
 * A program's partner institutions. Any signed-in role may read them: applicants pick their
 * institution's id here, as they read the program's caps. Only staff see who last edited each.
 */
export const listPartnerInstitutions = async (
  deps: Pick<ProgramDeps, "programs">,
  actor: Actor,
  programId: string,
): Promise<Array<Omit<PartnerInstitutionRecord, "updatedBy"> & { updatedBy?: string }>> => {
  await programNamed(deps, programId);
  const institutions = await deps.programs.listInstitutions(programId);
  return actor.role === "staff" ? institutions : institutions.map(({ updatedBy: _, ...rest }) => rest);
};

import { readFileSync } from "node:fs";
import { dynamoCallRepository, dynamoProgramRepository, dynamoReviewerRepository } from "@allot/adapters";
import { type Actor, type Clock, systemClock } from "@allot/core";
import { type CallDeps, CallInput, createCall } from "@allot/core/call";
import {
  createProgram,
  PartnerInstitutionFields,
  PartnerInstitutionId,
  Program,
  type ProgramDeps,
  putPartnerInstitution,
} from "@allot/core/program";
import { putReviewerProfile, ReviewerProfile } from "@allot/core/review";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";

// The model program ships as data so a newcomer has a program, open calls and reviewers to act
// on at once. It goes through the same core commands as the API, so it obeys the same rules,
// and since those are idempotent, seeding an already seeded table changes nothing.

const unique = <T>(items: T[], id: (item: T) => string, ctx: z.RefinementCtx, field: string) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(id(item)))
      ctx.addIssue({ code: "custom", message: `duplicates ${id(item)}`, path: [field, i] });
    seen.add(id(item));
  });
};

export const ModelProgramSeed = z
  .object({
    about: z.string().optional(),
    program: Program,
    /** The program's strategic partners, each with its credit cap. */
    institutions: z
      .array(PartnerInstitutionFields.extend({ institutionId: PartnerInstitutionId }))
      .default([]),
    reviewers: z.array(ReviewerProfile),
    calls: z.array(CallInput),
  })
  .superRefine((seed, ctx) => {
    unique(seed.institutions, (i) => i.institutionId, ctx, "institutions");
    unique(seed.reviewers, (r) => r.reviewerId, ctx, "reviewers");
    unique(seed.calls, (c) => c.callId, ctx, "calls");
  });
export type ModelProgramSeed = z.infer<typeof ModelProgramSeed>;

export const modelProgramFile = new URL("../seed/model-program.json", import.meta.url);

export const loadModelProgram = (file: URL | string = modelProgramFile): ModelProgramSeed =>
  ModelProgramSeed.parse(JSON.parse(readFileSync(file, "utf8")));

export interface SeedResult {
  programId: string;
  programCreated: boolean;
  institutionsCreated: string[];
  reviewersCreated: string[];
  callsCreated: string[];
}

const system: Actor = { userId: "system", role: "staff" };

export const seedModelProgram = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock = systemClock,
): Promise<SeedResult> => {
  const seed = loadModelProgram();
  const deps: CallDeps = {
    programs: dynamoProgramRepository(doc, tableName),
    calls: dynamoCallRepository(doc, tableName),
    reviewers: dynamoReviewerRepository(doc, tableName),
    clock,
  };
  // Profiles first, since a call's pool may only name reviewers with a profile. One that
  // exists is left alone: staff may have edited it since.
  const reviewersCreated: string[] = [];
  for (const reviewer of seed.reviewers) {
    if (await deps.reviewers.get(reviewer.reviewerId)) continue;
    const { created } = await putReviewerProfile(deps, system, reviewer.reviewerId, reviewer);
    if (created) reviewersCreated.push(reviewer.reviewerId);
  }
  const { created: programCreated } = await createProgram(deps, system, seed.program);
  const institutionsCreated = await seedPartnerInstitutions(deps, seed);
  const callsCreated: string[] = [];
  for (const call of seed.calls) {
    const { created } = await createCall(deps, system, seed.program.programId, call);
    if (created) callsCreated.push(call.callId);
  }
  return {
    programId: seed.program.programId,
    programCreated,
    institutionsCreated,
    reviewersCreated,
    callsCreated,
  };
};

/**
 * The model program's partner institutions that are missing; one that exists is left alone,
 * since staff may have changed it.
 */
const seedPartnerInstitutions = async (deps: ProgramDeps, seed: ModelProgramSeed): Promise<string[]> => {
  const { programId } = seed.program;
  if (!(await deps.programs.get(programId))) return [];
  const created: string[] = [];
  for (const { institutionId, ...fields } of seed.institutions) {
    if (await deps.programs.getInstitution(programId, institutionId)) continue;
    await putPartnerInstitution(deps, system, programId, institutionId, fields);
    created.push(institutionId);
  }
  return created;
};

/**
 * A data folder seeded before partner institutions existed gets the model program's, so its
 * applicants can name them; nothing else of the folder is touched.
 */
export const addModelPartnerInstitutions = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock = systemClock,
): Promise<string[]> =>
  seedPartnerInstitutions({ programs: dynamoProgramRepository(doc, tableName), clock }, loadModelProgram());

import { readFileSync } from "node:fs";
import { dynamoCallRepository, dynamoProgramRepository, dynamoReviewerRepository } from "@allot/adapters";
import { type Actor, type Clock, systemClock } from "@allot/core";
import { type CallDeps, CallInput, createCall } from "@allot/core/call";
import { createProgram, Program } from "@allot/core/program";
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
    reviewers: z.array(ReviewerProfile),
    calls: z.array(CallInput),
  })
  .superRefine((seed, ctx) => {
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
  const callsCreated: string[] = [];
  for (const call of seed.calls) {
    const { created } = await createCall(deps, system, seed.program.programId, call);
    if (created) callsCreated.push(call.callId);
  }
  return { programId: seed.program.programId, programCreated, reviewersCreated, callsCreated };
};

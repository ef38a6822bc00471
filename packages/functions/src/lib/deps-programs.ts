import { dynamoCallRepository, dynamoProgramRepository, dynamoReviewerRepository } from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { CallDeps } from "@allot/core/call";
import type { ProgramDeps } from "@allot/core/program";
import type { ReviewerDeps } from "@allot/core/review";
import { doc, once, tableName } from "./deps.js";

export const programDeps = once(
  (): ProgramDeps => ({ programs: dynamoProgramRepository(doc(), tableName()), clock: systemClock }),
);

export const reviewerDeps = once(
  (): ReviewerDeps => ({ reviewers: dynamoReviewerRepository(doc(), tableName()), clock: systemClock }),
);

export const callDeps = once(
  (): CallDeps => ({
    calls: dynamoCallRepository(doc(), tableName()),
    programs: programDeps().programs,
    reviewers: reviewerDeps().reviewers,
    clock: systemClock,
  }),
);

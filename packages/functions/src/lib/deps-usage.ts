import { dynamoAwardRepository, dynamoProgramRepository, dynamoUsageRepository } from "@allot/adapters";
import { systemClock } from "@allot/core";
import { creditThresholdsOf, type ProgramRepository } from "@allot/core/program";
import { DEFAULT_THRESHOLDS, type UsageDeps } from "@allot/core/usage";
import { doc, once, tableName } from "./deps.js";

/** The award's program's thresholds (the defaults when it sets none, or is gone). */
export const programThresholds =
  (programs: Pick<ProgramRepository, "get">) =>
  async (programId: string): Promise<readonly number[]> => {
    const program = await programs.get(programId);
    return program ? creditThresholdsOf(program) : DEFAULT_THRESHOLDS;
  };

export const usageDeps = once(
  (): UsageDeps => ({
    awards: dynamoAwardRepository(doc(), tableName()),
    usage: dynamoUsageRepository(doc(), tableName()),
    clock: systemClock,
    thresholds: programThresholds(dynamoProgramRepository(doc(), tableName())),
  }),
);

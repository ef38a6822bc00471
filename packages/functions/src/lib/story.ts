import type { Logger } from "@aws-lambda-powertools/logger";

// At info level the log tells each proposal's journey, one line per step, so that support can
// follow one proposal (or one correlation id) across the functions it went through. Ids and
// outcomes only: never names, e-mail addresses or free text.
export const STORY_STEPS = [
  "submitted",
  "screened",
  "assigned",
  "scored",
  "decided",
  "committed",
  "provisioned",
] as const;

export type StoryStep = (typeof STORY_STEPS)[number];

export const tellStory = (
  logger: Logger,
  step: StoryStep,
  facts: { proposalId: string; awardId?: string } & Record<string, string | number | boolean | undefined>,
) => logger.info(`proposal ${step}`, { story: step, ...facts });

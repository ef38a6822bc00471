import {
  AssignmentId,
  AwardId,
  CallId,
  InstitutionId,
  OutputId,
  ProgramId,
  ProposalId,
  ReservationId,
  ReviewerId,
  validationError,
} from "@allot/core";
import { ChangeId } from "@allot/core/award";
import { DeliveryId, SubscriptionId } from "@allot/core/webhook";
import type { z } from "zod";

// Every path parameter of every route, checked once before any lookup: a value that cannot be
// such an id is a 400 naming the format; a well-formed id that names nothing is the handler's
// 404. Without this a 2 KB id reached DynamoDB as a key and came back as a 500.
export const pathParameterSchemas: Record<string, z.ZodType<string>> = {
  programId: ProgramId,
  callId: CallId,
  institutionId: InstitutionId,
  reviewerId: ReviewerId,
  proposalId: ProposalId,
  awardId: AwardId,
  assignmentId: AssignmentId,
  reservationId: ReservationId,
  changeId: ChangeId,
  outputId: OutputId,
  subscriptionId: SubscriptionId,
  deliveryId: DeliveryId,
};

/** The path parameters, each checked against its id format; throws a validation error naming each bad one. */
export const validPathParameters = (path: Record<string, string | undefined>): Record<string, string> => {
  const issues = Object.entries(path).flatMap(([name, value]) => {
    const schema = pathParameterSchemas[name];
    if (!schema) throw new Error(`No format for the path parameter ${name}: add it to path-parameters.ts`);
    const parsed = schema.safeParse(value ?? "");
    return parsed.success
      ? []
      : [{ field: `path.${name}`, message: parsed.error.issues[0]?.message ?? "is invalid" }];
  });
  if (issues.length) {
    throw validationError(
      `The path is invalid: ${issues.map((i) => `${i.field.slice(5)} ${i.message}`).join("; ")}`,
      issues,
    );
  }
  return path as Record<string, string>;
};

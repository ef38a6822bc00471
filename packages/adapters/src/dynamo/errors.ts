import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/**
 * Which items of a failed write had their condition fail: the indexes of a cancelled
 * transaction's items, or [0] for a single conditional write. Undefined for any other error.
 */
export const failedConditions = (error: unknown): number[] | undefined => {
  if (error instanceof ConditionalCheckFailedException) return [0];
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [i] : []));
    return failed.length ? failed : undefined;
  }
  return undefined;
};

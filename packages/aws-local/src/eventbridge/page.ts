import { validationException } from "../edge/errors.js";

type Input = Record<string, unknown>;

/** NextToken is an opaque offset; Limit is 1..100 as on AWS. */
export const listPage = <T>(items: T[], input: Input): { items: T[]; next?: string } => {
  const limitValue = input.Limit;
  let limit = 100;
  if (limitValue !== undefined && limitValue !== null) {
    if (
      typeof limitValue !== "number" ||
      !Number.isInteger(limitValue) ||
      limitValue < 1 ||
      limitValue > 100
    ) {
      throw validationException("Parameter Limit is not valid. Reason: Limit must be between 1 and 100.");
    }
    limit = limitValue;
  }
  let offset = 0;
  const token = input.NextToken;
  if (token !== undefined && token !== null && typeof token !== "string")
    throw validationException("The NextToken is not valid.");
  if (token) {
    const decoded = Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw validationException("The NextToken is not valid.");
    offset = decoded;
  }
  const slice = items.slice(offset, offset + limit);
  const end = offset + slice.length;
  return end < items.length
    ? { items: slice, next: Buffer.from(String(end)).toString("base64url") }
    : { items: slice };
};

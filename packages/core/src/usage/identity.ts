import type { UsageRecord } from "./schema.js";

// A record id is the provider's identity for one charge: the same id may come again only with
// the same content. Compared field by field (times as instants), never as serialized text, so
// the order in which a store returns attributes cannot make a replay look different.

const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/** The fields in which `sent` differs from `held` (the record first received with its id). */
export const differencesBetween = (held: UsageRecord, sent: UsageRecord): string[] => {
  if (held.type !== sent.type) return ["type"];
  const differs: string[] = [];
  if (held.awardId !== sent.awardId) differs.push("awardId");
  if (held.type === "compute" && sent.type === "compute") {
    if (held.chips !== sent.chips) differs.push("chips");
    if (!sameInstant(held.startedAt, sent.startedAt)) differs.push("startedAt");
    if (!sameInstant(held.endedAt, sent.endedAt)) differs.push("endedAt");
    if (held.chargeCents !== sent.chargeCents) differs.push("chargeCents");
  }
  if (held.type === "adjustment" && sent.type === "adjustment") {
    if (held.kind !== sent.kind) differs.push("kind");
    if (held.amountCents !== sent.amountCents) differs.push("amountCents");
    if (held.reason !== sent.reason) differs.push("reason");
  }
  return differs;
};

export const reusedIdReason = (recordId: string, differs: string[]) =>
  `recordId: ${recordId} was already received with a different ${differs.join(", ")}; ` +
  "a record id names one charge and is never reused (send a new id for a new charge)";

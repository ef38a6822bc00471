import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AwsServiceError, validationException } from "../edge/errors.js";
import type { Logger } from "../logger.js";
import { type ArchivedCall, archiveBatchItems, leasedLike } from "./archive-batch.js";
import { batchPut, type TaggedItem } from "./batch.js";
import type { Bus, Registry } from "./bus.js";
import { newDelivery } from "./delivery-record.js";
import { buildEnvelope } from "./envelope.js";
import { matchingTargets } from "./match.js";
import type { PutEventsRequestEntry, PutEventsResponse, PutEventsResultEntry } from "./types.js";
import { entrySize, MAX_ENTRIES, validateEntry } from "./validate.js";
import type { Leasable, Work } from "./work.js";

export interface PutEventsDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  registry: Registry;
  logger: Logger;
  maxRequestBytes: number;
  /** false: like AWS, accept entries for a bus that does not exist and drop them. */
  rejectUnknownBus: boolean;
  /** Leases a batch of deliveries to this process before it is written (see Dispatcher.preclaim). */
  preclaim(item: Leasable, now: number): boolean;
  /** Hands the deliveries just written to the dispatcher. */
  deliver(work: Work[]): void;
  /** Throws when the emulator no longer accepts writes. */
  assertWritable(): void;
}

const unknownBus = (name: string) => ({
  ErrorCode: "InvalidArgument",
  ErrorMessage:
    `Parameter EventBusName is not valid. Reason: Event bus ${name} does not exist. ` +
    "(AWS would accept this entry and drop it silently; the local runtime refuses it so that the mistake shows.)",
});

/**
 * PutEvents: every entry is checked on its own; the accepted events are archived together with
 * the deliveries they owe to matching rule targets (archive-batch.ts), written before the call
 * answers, so that an event id in the answer is a promise that survives a crash.
 */
export const putEvents = async (deps: PutEventsDeps, entries: unknown): Promise<PutEventsResponse> => {
  deps.assertWritable();
  if (!Array.isArray(entries)) {
    throw validationException(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const bound = entries.length < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_ENTRIES}`;
    throw validationException(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  const requestEntries = entries as PutEventsRequestEntry[];
  const size = requestEntries.reduce((total, entry) => total + entrySize(entry ?? {}), 0);
  if (size > deps.maxRequestBytes) {
    throw validationException("Total size of the entries in the request is over the limit.");
  }

  const now = Date.now();
  const results: PutEventsResultEntry[] = [];
  const calls = new Map<Bus, { entries: number[]; call: ArchivedCall }>();
  requestEntries.forEach((raw, index) => {
    const entry = validateEntry(raw ?? {});
    if ("ErrorCode" in entry) {
      results[index] = entry;
      return;
    }
    const bus: Bus | undefined = deps.registry.resolve(entry.busName);
    const envelope = buildEnvelope(entry, {
      region: deps.registry.region,
      accountId: deps.registry.accountId,
      now,
    });
    if (!bus) {
      if (deps.rejectUnknownBus) {
        results[index] = unknownBus(deps.registry.nameOf(entry.busName));
      } else {
        results[index] = { EventId: envelope.id };
      }
      return;
    }
    results[index] = { EventId: envelope.id };
    const deliveries = matchingTargets(bus, envelope, deps.logger).map(({ rule, target, targetIndex }) =>
      newDelivery({
        envelope,
        bus: bus.name,
        rule: rule.spec.name,
        targetIndex,
        target,
        retentionDays: bus.archiveRetentionDays,
        now,
        ruleArn: rule.arn,
      }),
    );
    const call = calls.get(bus) ?? { entries: [], call: { events: [] } };
    calls.set(bus, call);
    call.entries.push(index);
    call.call.events.push({
      eventId: envelope.id,
      event: deliveries[0]?.event ?? JSON.stringify(envelope),
      deliveries,
    });
  });

  // One call usually makes one item per bus (see archive-batch.ts).
  const items: TaggedItem<{ entries: number[]; work?: Work }>[] = [];
  for (const [bus, { entries, call }] of calls) {
    for (const { item, members } of archiveBatchItems(bus, call, now)) {
      if (members.length === 0) {
        items.push({ tag: { entries }, item });
        continue;
      }
      const batch = deps.preclaim(item, now)
        ? { item, members: members.map((member) => leasedLike(member, item)) }
        : undefined;
      items.push({ tag: { entries, work: { pk: item.pk, sk: item.sk, ...(batch ? { batch } : {}) } }, item });
    }
  }

  const { failed, errors } = await batchPut(deps.doc, deps.tableName, items);
  if (errors.length > 0) {
    deps.logger.error("eventbridge could not store events", {
      failedItems: failed.size,
      error: String(errors[0]),
    });
  }
  for (const { entries } of failed) {
    // Part of the entry may be stored; a retry by the caller makes a new event (at least once).
    for (const index of entries) {
      results[index] = {
        ErrorCode: "InternalFailure",
        ErrorMessage: "The event could not be stored durably; retry the entry.",
      };
    }
  }
  const stored = items.flatMap(({ tag }) => (tag.work && !failed.has(tag) ? [tag.work] : []));
  if (stored.length > 0) deps.deliver(stored);
  return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
};

export const stoppedError = () =>
  new AwsServiceError("InternalException", "The local EventBridge emulator has been stopped", 500);

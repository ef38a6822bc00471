import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { AwsServiceError, validationException } from "../edge/errors.js";
import type { Logger } from "../logger.js";
import { archiveItem } from "./archive.js";
import { batchPut, type TaggedItem } from "./batch.js";
import type { Bus, Registry } from "./bus.js";
import { newDelivery } from "./deliveries.js";
import type { Work } from "./dispatcher.js";
import { buildEnvelope } from "./envelope.js";
import { matchingTargets } from "./match.js";
import type {
  DeliveryRecord,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
} from "./types.js";
import { entrySize, MAX_ENTRIES, validateEntry } from "./validate.js";

export interface PutEventsDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  registry: Registry;
  logger: Logger;
  maxRequestBytes: number;
  /** false: like AWS, accept entries for a bus that does not exist and drop them. */
  rejectUnknownBus: boolean;
  /** Leases a delivery to this process before it is written (see Dispatcher.preclaim). */
  preclaim(item: DeliveryRecord, now: number): boolean;
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
 * PutEvents: every entry is checked on its own; each accepted event is archived and gets one
 * delivery item per matching rule target, all written before the call answers, so that an
 * event id in the answer is a promise that survives a crash.
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
  const items: TaggedItem<number>[] = [];
  const workByEntry = new Map<number, Work[]>();
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
    items.push({ tag: index, item: archiveItem(bus, envelope, now) });
    const work: Work[] = [];
    for (const { rule, target, targetIndex } of matchingTargets(bus, envelope, deps.logger)) {
      const delivery = newDelivery({
        envelope,
        bus: bus.name,
        rule: rule.spec.name,
        targetIndex,
        target,
        retentionDays: bus.archiveRetentionDays,
        now,
        ruleArn: rule.arn,
      });
      const claimed = deps.preclaim(delivery, now);
      items.push({ tag: index, item: delivery });
      work.push({ pk: delivery.pk, sk: delivery.sk, ...(claimed ? { claimed: delivery } : {}) });
    }
    workByEntry.set(index, work);
  });

  const { failed, errors } = await batchPut(deps.doc, deps.tableName, items);
  if (errors.length > 0) {
    deps.logger.error("eventbridge could not store events", {
      failedEntries: failed.size,
      error: String(errors[0]),
    });
  }
  const accepted: Work[] = [];
  for (const [index, work] of workByEntry) {
    if (failed.has(index)) {
      // Part of the entry may be stored; a retry by the caller makes a new event (at least once).
      results[index] = {
        ErrorCode: "InternalFailure",
        ErrorMessage: "The event could not be stored durably; retry the entry.",
      };
    } else {
      accepted.push(...work);
    }
  }
  if (accepted.length > 0) deps.deliver(accepted);
  return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
};

export const stoppedError = () =>
  new AwsServiceError("InternalException", "The local EventBridge emulator has been stopped", 500);

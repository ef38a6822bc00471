import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { AwsServiceError, resourceNotFound, validationException } from "../edge/errors.js";
import type { Logger } from "../logger.js";
import { readArchive } from "./archive.js";
import { batchPut, type TaggedItem } from "./batch.js";
import type { Registry } from "./bus.js";
import { isConditionFailure, newDelivery } from "./deliveries.js";
import type { Work } from "./dispatcher.js";
import { asReplay } from "./envelope.js";
import { matchingTargets } from "./match.js";
import type { DeliveryRecord, ReplayOptions, ReplayResult } from "./types.js";

export interface ReplayDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  registry: Registry;
  logger: Logger;
  preclaim(item: DeliveryRecord, now: number): boolean;
  deliver(work: Work[]): void;
  assertWritable(): void;
}

/** Items written per flush: enough to fill BatchWriteItem calls, few enough to start delivering early. */
const FLUSH_ITEMS = 250;
const replayNamePattern = /^[.\-_A-Za-z0-9]{1,64}$/;

/**
 * Re-sends the archived events a bus received in [from, to] to its matching rules (or the
 * named subset), each with `replay-name` set, as new deliveries with fresh retry budgets.
 * Replayed events are not archived again. A replay is recorded under its name, which must be
 * new: the name is part of each delivery's key, so reusing one would overwrite history.
 */
export const replay = async (deps: ReplayDeps, options: ReplayOptions): Promise<ReplayResult> => {
  deps.assertWritable();
  const bus = deps.registry.resolve(options.bus);
  if (!bus) throw resourceNotFound(`Event bus ${deps.registry.nameOf(options.bus)} does not exist.`);
  const from = options.from.getTime();
  const to = options.to.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) throw validationException("Replay times must be valid dates.");
  if (to <= from) {
    throw validationException(
      "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
    );
  }
  let only: Set<string> | undefined;
  if (options.rules) {
    only = new Set(options.rules);
    for (const name of only) {
      if (!bus.rules.some((rule) => rule.spec.name === name)) {
        throw resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
      }
    }
  }
  const replayName = options.name ?? `local-replay-${ulid()}`;
  if (!replayNamePattern.test(replayName)) {
    throw validationException(`Replay name "${replayName}" must be 1 to 64 characters of A-Z a-z 0-9 . - _`);
  }
  const startedAt = Date.now();
  try {
    await deps.doc.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: {
          pk: "EB#REPLAY",
          sk: replayName,
          kind: "eb-replay",
          bus: bus.name,
          from,
          to,
          ...(options.rules ? { rules: options.rules } : {}),
          startedAt,
          state: "RUNNING",
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if (isConditionFailure(error))
      throw new AwsServiceError("ResourceAlreadyExistsException", `Replay ${replayName} already exists.`);
    throw error;
  }

  let replayed = 0;
  let deliveries = 0;
  let pending: TaggedItem<Work>[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const { failed, errors } = await batchPut(deps.doc, deps.tableName, batch);
    if (failed.size > 0)
      throw new Error(`Replay ${replayName} could not store its deliveries: ${String(errors[0])}`);
    deps.deliver(batch.map(({ tag }) => tag));
  };
  for await (const archived of readArchive(deps.doc, deps.tableName, bus, from, to, startedAt)) {
    const envelope = asReplay(archived.event, replayName);
    const targets = matchingTargets(bus, envelope, deps.logger, only);
    if (targets.length === 0) continue;
    replayed++;
    for (const { rule, target, targetIndex } of targets) {
      const now = Date.now();
      const item = newDelivery({
        envelope,
        bus: bus.name,
        rule: rule.spec.name,
        targetIndex,
        target,
        retentionDays: bus.archiveRetentionDays,
        now,
        replayName,
      });
      const claimed = deps.preclaim(item, now);
      pending.push({ tag: { pk: item.pk, sk: item.sk, ...(claimed ? { claimed: item } : {}) }, item });
      deliveries++;
    }
    if (pending.length >= FLUSH_ITEMS) await flush();
  }
  await flush();
  await deps.doc.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: {
        pk: "EB#REPLAY",
        sk: replayName,
        kind: "eb-replay",
        bus: bus.name,
        from,
        to,
        ...(options.rules ? { rules: options.rules } : {}),
        startedAt,
        endedAt: Date.now(),
        state: "COMPLETED",
        replayed,
        deliveries,
      },
    }),
  );
  deps.logger.info("eventbridge replay completed", {
    replay: replayName,
    bus: bus.name,
    replayed,
    deliveries,
  });
  return { replayName, replayed, deliveries };
};

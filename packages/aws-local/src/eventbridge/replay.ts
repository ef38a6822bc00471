import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { AwsServiceError, resourceNotFound, validationException } from "../edge/errors.js";
import type { Logger } from "../logger.js";
import { readArchive } from "./archive.js";
import { batchPut, type TaggedItem } from "./batch.js";
import type { Registry } from "./bus.js";
import { isConditionFailure } from "./deliveries.js";
import { newDelivery } from "./delivery-record.js";
import { asReplay } from "./envelope.js";
import { matchingTargets } from "./match.js";
import type { DeliveryRecord, ReplayOptions, ReplayResult } from "./types.js";
import type { Work } from "./work.js";

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

export const REPLAY_PARTITION = "EB#REPLAY";

/** A replay as stored under its name (pk EB#REPLAY). */
export interface ReplayRecord {
  pk: string;
  sk: string;
  kind: "eb-replay";
  bus: string;
  from: number;
  to: number;
  rules?: string[];
  description?: string;
  startedAt: number;
  endedAt?: number;
  state: "STARTING" | "RUNNING" | "COMPLETED" | "FAILED";
  stateReason?: string;
  /** When the bus received the last event re-sent so far (epoch ms). */
  lastReplayedAt?: number;
  replayed?: number;
  deliveries?: number;
}

/**
 * Checks a replay and records it under its name, which must be new: the name is part of each
 * delivery's key, so reusing one would overwrite history. runReplay() then does the work.
 */
export const beginReplay = async (
  deps: ReplayDeps,
  options: ReplayOptions & { description?: string },
  state: "STARTING" | "RUNNING" = "RUNNING",
): Promise<ReplayRecord> => {
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
  if (options.rules) {
    for (const name of new Set(options.rules)) {
      if (!bus.rules.some((rule) => rule.spec.name === name)) {
        throw resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
      }
    }
  }
  const replayName = options.name ?? `local-replay-${ulid()}`;
  if (!replayNamePattern.test(replayName)) {
    throw validationException(`Replay name "${replayName}" must be 1 to 64 characters of A-Z a-z 0-9 . - _`);
  }
  const record: ReplayRecord = {
    pk: REPLAY_PARTITION,
    sk: replayName,
    kind: "eb-replay",
    bus: bus.name,
    from,
    to,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.description ? { description: options.description } : {}),
    startedAt: Date.now(),
    state,
  };
  try {
    await deps.doc.send(
      new PutCommand({
        TableName: deps.tableName,
        Item: record,
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if (isConditionFailure(error))
      throw new AwsServiceError("ResourceAlreadyExistsException", `Replay ${replayName} already exists.`);
    throw error;
  }
  return record;
};

/**
 * Re-sends the archived events a bus received in [from, to] to its matching rules (or the
 * named subset), each with `replay-name` set, as new deliveries with fresh retry budgets.
 * Replayed events are not archived again. The record ends COMPLETED, or FAILED with the reason.
 */
export const runReplay = async (deps: ReplayDeps, begun: ReplayRecord): Promise<ReplayResult> => {
  const record: ReplayRecord = { ...begun, state: "RUNNING" };
  const replayName = record.sk;
  const write = (item: ReplayRecord) =>
    deps.doc.send(new PutCommand({ TableName: deps.tableName, Item: item }));
  try {
    if (begun.state !== "RUNNING") await write(record);
    const result = await resend(deps, record);
    await write({ ...record, ...result.counts, endedAt: Date.now(), state: "COMPLETED" });
    deps.logger.info("eventbridge replay completed", {
      replay: replayName,
      bus: record.bus,
      ...result.counts,
    });
    return { replayName, ...result.counts };
  } catch (error) {
    deps.logger.error("eventbridge replay failed", { replay: replayName, error: String(error) });
    await write({ ...record, endedAt: Date.now(), state: "FAILED", stateReason: String(error) }).catch(
      () => undefined,
    );
    throw error;
  }
};

/** Begins and runs a replay, answering when it is done. */
export const replay = async (deps: ReplayDeps, options: ReplayOptions): Promise<ReplayResult> =>
  runReplay(deps, await beginReplay(deps, options));

const resend = async (deps: ReplayDeps, record: ReplayRecord) => {
  const bus = deps.registry.resolve(record.bus);
  if (!bus) throw resourceNotFound(`Event bus ${record.bus} does not exist.`);
  const replayName = record.sk;
  const only = record.rules ? new Set(record.rules) : undefined;
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
  for await (const archived of readArchive(
    deps.doc,
    deps.tableName,
    bus,
    record.from,
    record.to,
    record.startedAt,
  )) {
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
        ruleArn: rule.arn,
        receivedAt: archived.receivedAt,
      });
      const claimed = deps.preclaim(item, now);
      pending.push({ tag: { pk: item.pk, sk: item.sk, ...(claimed ? { claimed: item } : {}) }, item });
      deliveries++;
    }
    record.lastReplayedAt = archived.receivedAt;
    if (pending.length >= FLUSH_ITEMS) await flush();
  }
  await flush();
  return { counts: { replayed, deliveries }, lastReplayedAt: record.lastReplayedAt };
};

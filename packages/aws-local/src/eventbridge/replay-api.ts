import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { AwsServiceError, resourceNotFound, validationException } from "../edge/errors.js";
import type { Bus } from "./bus.js";
import { beginReplay, REPLAY_PARTITION, type ReplayDeps, type ReplayRecord, runReplay } from "./replay.js";

// The EventBridge replay and archive operations. Each bus has one archive, named like the bus
// (arn:aws:events:<region>:<account>:archive/<bus>), holding every event the bus received for
// the bus's retention. StartReplay answers at once and runs the replay in the background, as
// AWS does; DescribeReplay follows it to COMPLETED (or FAILED).

type Input = Record<string, unknown>;
type Operation = (input: Input) => Promise<unknown>;

const isRecord = (value: unknown): value is Input =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** A timestamp as the JSON protocol sends it (epoch seconds), or an ISO string. */
const timeOf = (input: Input, name: string): Date => {
  const value = input[name];
  if (value === undefined || value === null)
    throw validationException(
      `1 validation error detected: Value null at '${name[0]?.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  const date =
    typeof value === "number"
      ? new Date(value * 1000)
      : typeof value === "string"
        ? new Date(value)
        : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw validationException(`Parameter ${name} is not valid. Reason: it must be a timestamp.`);
  return date;
};

export const replayApi = (deps: {
  replay: ReplayDeps;
  page: <T>(items: T[], input: Input) => { items: T[]; next?: string };
  createdAt: number;
}): Record<string, Operation> => {
  const { registry, doc, tableName, logger } = deps.replay;
  const arnPrefix = `arn:aws:events:${registry.region}:${registry.accountId}`;
  const archiveArn = (bus: string) => `${arnPrefix}:archive/${bus}`;
  const replayArn = (name: string) => `${arnPrefix}:replay/${name}`;

  const busOfArchiveArn = (arn: string): Bus => {
    const name = arn.startsWith(`${arnPrefix}:archive/`)
      ? arn.slice(`${arnPrefix}:archive/`.length)
      : undefined;
    const bus = name ? registry.buses.get(name) : undefined;
    if (!bus) throw resourceNotFound(`Archive ${arn} does not exist.`);
    return bus;
  };
  const busOfArchiveName = (input: Input): Bus => {
    const name = input.ArchiveName;
    if (typeof name !== "string" || name === "")
      throw validationException(
        "1 validation error detected: Value null at 'archiveName' failed to satisfy constraint: Member must not be null",
      );
    const bus = registry.buses.get(name);
    if (!bus) throw resourceNotFound(`Archive ${name} does not exist.`);
    return bus;
  };
  const describeArchive = (bus: Bus) => ({
    ArchiveName: bus.name,
    EventSourceArn: bus.arn,
    State: "ENABLED",
    RetentionDays: bus.archiveRetentionDays,
    SizeBytes: 0,
    EventCount: 0,
    CreationTime: deps.createdAt / 1000,
  });

  const summary = (record: ReplayRecord) => ({
    ReplayName: record.sk,
    EventSourceArn: archiveArn(record.bus),
    State: record.state,
    ...(record.stateReason ? { StateReason: record.stateReason } : {}),
    EventStartTime: seconds(record.from),
    EventEndTime: seconds(record.to),
    ...(record.lastReplayedAt !== undefined ? { EventLastReplayedTime: seconds(record.lastReplayedAt) } : {}),
    ReplayStartTime: seconds(record.startedAt),
    ...(record.endedAt !== undefined ? { ReplayEndTime: seconds(record.endedAt) } : {}),
  });

  const replayName = (input: Input) => {
    const name = input.ReplayName;
    if (typeof name !== "string" || name === "")
      throw validationException(
        "1 validation error detected: Value null at 'replayName' failed to satisfy constraint: Member must not be null",
      );
    return name;
  };

  return {
    StartReplay: async (input) => {
      const name = replayName(input);
      const source = input.EventSourceArn;
      if (typeof source !== "string" || source === "")
        throw validationException(
          "1 validation error detected: Value null at 'eventSourceArn' failed to satisfy constraint: Member must not be null",
        );
      const bus = busOfArchiveArn(source);
      const from = timeOf(input, "EventStartTime");
      const to = timeOf(input, "EventEndTime");
      const destination = input.Destination;
      if (!isRecord(destination) || typeof destination.Arn !== "string")
        throw validationException(
          "1 validation error detected: Value null at 'destination' failed to satisfy constraint: Member must not be null",
        );
      if (destination.Arn !== bus.arn)
        throw validationException(
          "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
        );
      let rules: string[] | undefined;
      if (destination.FilterArns !== undefined && destination.FilterArns !== null) {
        const arns = destination.FilterArns;
        if (!Array.isArray(arns) || !arns.every((arn) => typeof arn === "string"))
          throw validationException(
            "Parameter Destination.FilterArns is not valid. Reason: it must be a list of rule ARNs.",
          );
        rules = (arns as string[]).map((arn) => {
          const rule = bus.rules.find((r) => r.arn === arn);
          if (!rule) throw resourceNotFound(`Rule ${arn} does not exist on EventBus ${bus.name}.`);
          return rule.spec.name;
        });
      }
      const description = input.Description;
      const record = await beginReplay(
        deps.replay,
        {
          bus: bus.name,
          from,
          to,
          name,
          ...(rules && rules.length > 0 ? { rules } : {}),
          ...(typeof description === "string" && description ? { description } : {}),
        },
        "STARTING",
      );
      void runReplay(deps.replay, record).catch((error) =>
        logger.warn("eventbridge replay ended in failure", { replay: name, error: String(error) }),
      );
      return { ReplayArn: replayArn(name), State: "STARTING", ReplayStartTime: seconds(record.startedAt) };
    },
    DescribeReplay: async (input) => {
      const name = replayName(input);
      const output = await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk: REPLAY_PARTITION, sk: name } }),
      );
      const record = output.Item as ReplayRecord | undefined;
      if (!record) throw resourceNotFound(`Replay ${name} does not exist.`);
      const filterArns = (record.rules ?? []).map((rule) => registry.ruleArn(record.bus, rule));
      return {
        ...summary(record),
        ReplayArn: replayArn(name),
        ...(record.description ? { Description: record.description } : {}),
        Destination: {
          Arn: registry.buses.get(record.bus)?.arn ?? `${arnPrefix}:event-bus/${record.bus}`,
          ...(filterArns.length > 0 ? { FilterArns: filterArns } : {}),
        },
      };
    },
    ListReplays: async (input) => {
      const prefix = typeof input.NamePrefix === "string" ? input.NamePrefix : "";
      const state = typeof input.State === "string" ? input.State : undefined;
      const source = typeof input.EventSourceArn === "string" ? input.EventSourceArn : undefined;
      const records: ReplayRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const output = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: { ":pk": REPLAY_PARTITION, ":prefix": prefix },
            ExclusiveStartKey: startKey,
          }),
        );
        records.push(...((output.Items ?? []) as ReplayRecord[]));
        startKey = output.LastEvaluatedKey;
      } while (startKey);
      const chosen = records.filter(
        (record) => (!state || record.state === state) && (!source || archiveArn(record.bus) === source),
      );
      const { items, next } = deps.page(chosen, input);
      return { Replays: items.map(summary), ...(next ? { NextToken: next } : {}) };
    },
    CancelReplay: async () => {
      throw new AwsServiceError(
        "OperationDisabledException",
        "CancelReplay is not available locally: local replays run to completion in moments.",
      );
    },
    ListArchives: async (input) => {
      const prefix = typeof input.NamePrefix === "string" ? input.NamePrefix : "";
      const source = typeof input.EventSourceArn === "string" ? input.EventSourceArn : undefined;
      const buses = [...registry.buses.values()]
        .filter((bus) => bus.name.startsWith(prefix) && (!source || bus.arn === source))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const { items, next } = deps.page(buses, input);
      return { Archives: items.map(describeArchive), ...(next ? { NextToken: next } : {}) };
    },
    DescribeArchive: async (input) => {
      const bus = busOfArchiveName(input);
      return { ...describeArchive(bus), ArchiveArn: archiveArn(bus.name) };
    },
  };
};

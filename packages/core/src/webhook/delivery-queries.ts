import type { Actor } from "../actor.js";
import { conflict, notFound, validationError } from "../errors.js";
import { deterministicId } from "../ids.js";
import { visible } from "./commands.js";
import type { Delivery, DeliveryStatus } from "./delivery.js";
import { type DeliveryDeps, redeliver } from "./delivery-commands.js";
import type { ArchiveReplayer } from "./ports.js";

// What an integration (or staff) asks of a subscription's deliveries: the log, one delivery with
// its attempts, a redelivery, a replay of a time range from the bus archive. An integration sees
// only its own subscription's deliveries: another's answers 404, as the subscription does.

type Deps = Pick<DeliveryDeps, "deliveries" | "subscriptions">;

/** A subscription's deliveries, newest first. */
export const listDeliveries = async (
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  query: { status?: DeliveryStatus; limit: number; cursor?: string },
): Promise<{ items: Delivery[]; cursor?: string }> => {
  await visible(deps, actor, subscriptionId);
  return deps.deliveries.listBySubscription({ subscriptionId, ...query });
};

/** One delivery of a subscription, with its logged attempts (newest first). */
export const getDelivery = async (
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  deliveryId: string,
): Promise<Delivery> => {
  await visible(deps, actor, subscriptionId);
  const delivery = await deps.deliveries.get(deliveryId);
  if (!delivery || delivery.subscriptionId !== subscriptionId) throw notFound(`Delivery ${deliveryId}`);
  return delivery;
};

/** Sends a delivery again now, with the same webhook-id (a new cycle of attempts). */
export const redeliverFor = async (
  deps: DeliveryDeps,
  actor: Actor,
  subscriptionId: string,
  deliveryId: string,
): Promise<Delivery> => redeliver(deps, await getDelivery(deps, actor, subscriptionId, deliveryId));

export interface ReplayDeps extends Deps {
  replayer: ArchiveReplayer;
  clock: DeliveryDeps["clock"];
  /** How far back the bus archive keeps events. */
  archiveRetentionDays: number;
}

/**
 * Replays the archived events of [from, to) to this subscription's rule only. The replay's name
 * comes from the request's operation, so a retried request finds the same replay.
 */
export const replaySubscription = async (
  deps: ReplayDeps,
  actor: Actor,
  subscriptionId: string,
  range: { from: string; to: string },
  operationId: string,
): Promise<{ replayName: string; from: string; to: string }> => {
  const subscription = await visible(deps, actor, subscriptionId);
  const from = new Date(range.from);
  const to = new Date(range.to);
  const now = deps.clock.now();
  const oldest = now.getTime() - deps.archiveRetentionDays * 86_400_000;
  if (!(from < to))
    throw validationError("from must be before to", [{ field: "from", message: "must be before to" }]);
  if (to.getTime() > now.getTime())
    throw validationError("to must not be in the future", [
      { field: "to", message: "must not be in the future" },
    ]);
  if (from.getTime() < oldest)
    throw validationError(`from must be within the archive's ${deps.archiveRetentionDays} days`, [
      { field: "from", message: `must be within the last ${deps.archiveRetentionDays} days` },
    ]);
  if (subscription.status === "deleted")
    throw conflict(`Subscription ${subscriptionId} is deleted: it has no rule to replay to`);
  const replayName = deterministicId("replay", subscriptionId, operationId);
  await deps.replayer.start({ replayName, ruleName: subscription.ruleName, from, to });
  return { replayName, from: from.toISOString(), to: to.toISOString() };
};

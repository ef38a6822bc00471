import { z } from "zod";
import type { Actor } from "../actor.js";
import { notFound, validationError } from "../errors.js";
import { deterministicId } from "../ids.js";
import type { Delivery } from "./delivery.js";
import { type DeliveryDeps, redeliver } from "./delivery-commands.js";
import type { ArchiveReplayer } from "./ports.js";
import type { Subscription } from "./subscription.js";

// What an integration (or staff) reads and asks of a subscription's deliveries: the log, one
// delivery with its attempts, a redelivery, a replay of a time range from the bus archive. An
// integration sees only its own subscriptions' deliveries (another's answers 404).

/** How far back a replay may reach: the bus archive's retention. */
export const ARCHIVE_RETENTION_DAYS = 30;

const ownSubscription = async (
  deps: DeliveryDeps,
  actor: Actor,
  subscriptionId: string,
): Promise<Subscription> => {
  const subscription = await deps.subscriptions.get(subscriptionId);
  if (
    !subscription ||
    !(actor.role === "staff" || (actor.role === "integration" && subscription.ownerId === actor.userId))
  )
    throw notFound(`Subscription ${subscriptionId}`);
  return subscription;
};

const ownDelivery = async (
  deps: DeliveryDeps,
  actor: Actor,
  subscriptionId: string,
  deliveryId: string,
): Promise<Delivery> => {
  await ownSubscription(deps, actor, subscriptionId);
  const delivery = await deps.deliveries.get(deliveryId);
  if (!delivery || delivery.subscriptionId !== subscriptionId) throw notFound(`Delivery ${deliveryId}`);
  return delivery;
};

export const listDeliveries = async (
  deps: DeliveryDeps,
  actor: Actor,
  subscriptionId: string,
  query: { status?: Delivery["status"]; limit: number; cursor?: string },
) => {
  await ownSubscription(deps, actor, subscriptionId);
  return deps.deliveries.listBySubscription({ subscriptionId, ...query });
};

export const getDelivery = ownDelivery;

export const redeliverDelivery = async (
  deps: DeliveryDeps,
  actor: Actor,
  subscriptionId: string,
  deliveryId: string,
): Promise<Delivery> => redeliver(deps, await ownDelivery(deps, actor, subscriptionId, deliveryId));

export const ReplayInput = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type ReplayInput = z.infer<typeof ReplayInput>;

/** Replays [from, to] from the bus archive to this subscription's rule only; named by the operation. */
export const replaySubscription = async (
  deps: DeliveryDeps & { replayer: ArchiveReplayer },
  actor: Actor,
  subscriptionId: string,
  input: ReplayInput,
  operationId: string,
) => {
  const subscription = await ownSubscription(deps, actor, subscriptionId);
  const from = new Date(input.from);
  const to = new Date(input.to);
  const now = deps.clock.now();
  if (from.getTime() >= to.getTime()) throw validationError("from must be before to");
  if (to.getTime() > now.getTime()) throw validationError("to must not be in the future");
  if (now.getTime() - from.getTime() > ARCHIVE_RETENTION_DAYS * 86_400_000)
    throw validationError(`from must be within the archive's retention (${ARCHIVE_RETENTION_DAYS} days)`);
  const replayName = deterministicId("rpl", subscriptionId, operationId);
  await deps.replayer.start({ replayName, ruleName: subscription.ruleName, from, to });
  return { replayName, from: from.toISOString(), to: to.toISOString() };
};

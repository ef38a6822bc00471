import { Delivery } from "@allot/core/webhook";
import { z } from "zod";
import { IsoTime } from "./common.js";

// A delivery as its owner sees it: the log without the stored body or the revision.
const { body: _body, revision: _revision, ...shown } = Delivery.shape;

export const DeliveryView = z.object(shown).meta({ id: "WebhookDelivery" });

export const DeliveryPage = z
  .object({
    items: z.array(DeliveryView),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page" }),
  })
  .meta({ id: "WebhookDeliveryPage" });

export const ReplayStarted = z
  .object({
    replayName: z.string().meta({ description: "The bus replay's name: the same for a retried request" }),
    from: IsoTime,
    to: IsoTime,
  })
  .meta({ id: "WebhookReplayStarted" });

export const deliveryView = (d: Delivery): z.infer<typeof DeliveryView> => {
  const { body: _b, revision: _r, ...view } = d;
  return view;
};

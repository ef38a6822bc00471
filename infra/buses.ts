// The custom EventBridge bus and its archive (replayable history of every event).
import type { BusPlan } from "./plan.js";

export const createBus = (bus: BusPlan): sst.aws.Bus => {
  const created = new sst.aws.Bus(bus.logicalName, {
    transform: {
      bus: (args) => {
        args.name = bus.physicalName;
      },
    },
  });
  new aws.cloudwatch.EventArchive(bus.archive.logicalName, {
    name: bus.archive.physicalName,
    eventSourceArn: created.arn,
    retentionDays: bus.archive.retentionDays,
    description: `Every event on ${bus.physicalName}, kept ${bus.archive.retentionDays} days for replay`,
  });
  return created;
};

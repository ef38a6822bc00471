// The custom EventBridge bus and its archive (replayable history of every event).
import { type BusPlan, type BusPolicyPlan, partnerBusPolicy } from "./plan.js";

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

/** Partner accounts' rules on the bus (infra/partners.ts; the statements in plan/bus-policy.ts). */
export const createPartnerBusPolicy = (policy: BusPolicyPlan, bus: sst.aws.Bus) => {
  const partition = aws.getPartitionOutput().partition;
  return new aws.cloudwatch.EventBusPolicy(policy.logicalName, {
    eventBusName: bus.name,
    policy: $resolve([bus.arn, partition]).apply(([arn, p]) =>
      JSON.stringify(partnerBusPolicy(arn, policy.partnerAccounts, p)),
    ),
  });
};

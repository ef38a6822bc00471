import type { ArchiveReplayer } from "@allot/core/webhook";
import {
  type EventBridgeClient,
  ResourceAlreadyExistsException,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";

// A replay re-sends archived bus events of [from, to) to one subscription's rule only (FilterArns),
// so other subscribers see nothing. Its name comes from the operation id: a retried request finds
// its replay already started and answers the same.

export const eventBridgeArchiveReplayer = (
  client: EventBridgeClient,
  config: { archiveArn: string; busArn: string },
): ArchiveReplayer => {
  // A rule's ARN on the bus: arn:aws:events:<region>:<account>:rule/<bus>/<rule> (default bus: rule/<rule>).
  const ruleArn = (ruleName: string) => {
    const [prefix, bus] = config.busArn.split(":event-bus/");
    return bus === "default" ? `${prefix}:rule/${ruleName}` : `${prefix}:rule/${bus}/${ruleName}`;
  };
  return {
    async start({ replayName, ruleName, from, to }) {
      try {
        await client.send(
          new StartReplayCommand({
            ReplayName: replayName,
            EventSourceArn: config.archiveArn,
            EventStartTime: from,
            EventEndTime: to,
            Destination: { Arn: config.busArn, FilterArns: [ruleArn(ruleName)] },
          }),
        );
      } catch (error) {
        if (!(error instanceof ResourceAlreadyExistsException)) throw error;
      }
      return { replayName };
    },
  };
};

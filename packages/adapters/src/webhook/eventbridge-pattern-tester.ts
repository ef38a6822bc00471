import { type EventPatternTester, InvalidEventPattern } from "@allot/core/webhook";
import { type EventBridgeClient, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";

// The bus's own matcher decides what a valid pattern is (EventBridge TestEventPattern), so a
// subscription's pattern is refused exactly when PutRule would refuse it, with its message.

/** An event with every field TestEventPattern requires; validation only needs it to be well formed. */
const representativeEvent = {
  version: "0",
  id: "00000000-0000-0000-0000-000000000000",
  "detail-type": "Pattern Check",
  source: "allot.webhooks",
  account: "000000000000",
  time: "2026-01-01T00:00:00Z",
  region: "us-east-1",
  resources: [],
  detail: {},
};

const isInvalidPattern = (error: unknown) =>
  (error as { name?: string } | null)?.name === "InvalidEventPatternException";

export const eventBridgePatternTester = (client: EventBridgeClient): EventPatternTester => {
  const test = async (pattern: Record<string, unknown>, event: Record<string, unknown>) => {
    try {
      const { Result } = await client.send(
        new TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: JSON.stringify(event) }),
      );
      return Result === true;
    } catch (error) {
      if (isInvalidPattern(error)) throw new InvalidEventPattern((error as Error).message);
      throw error;
    }
  };
  return {
    async validate(pattern) {
      await test(pattern, representativeEvent);
    },
    matches: test,
  };
};

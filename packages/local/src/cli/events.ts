import "aws-local/polyfills";
import { topology } from "@allot/stacks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  createEventBridge,
  createLambdaRegistry,
  eventBridgeCommands,
  localClientConfig,
  silentLogger,
} from "aws-local";
import { configFromEnv } from "../config.js";
import { repositoryRoot } from "../runtime.js";
import { runtimeTable } from "../runtime-table.js";
import { localFunction } from "../topology-to-aws-local.js";
import { parseCommandLine } from "./args.js";

// Operator commands on the local bus, run beside `npm start` against its DynamoDB Local. They
// only write: re-driven and replayed deliveries are picked up by the running runtime's
// dispatcher on its next sweep (within its lease time, 30 s at most).
const usage = `usage:
  npm run events -- dead-letters [--all]
  npm run events -- redrive [letter-id ...]
  npm run events -- replay --from 2026-11-28T00:00:00Z --to 2026-11-28T12:00:00Z [--bus allot] [--rule name ...] [--name replay-name]`;

const { positionals, values } = parseCommandLine(usage, {
  all: { type: "boolean", default: false },
  from: { type: "string" },
  to: { type: "string" },
  bus: { type: "string", default: "allot" },
  rule: { type: "string", multiple: true },
  name: { type: "string" },
});

const config = configFromEnv();
const client = new DynamoDBClient(localClientConfig(`http://${config.host}:${config.dynamoPort}`));
const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const eventBridge = createEventBridge({
  doc,
  tableName: runtimeTable.name,
  buses: topology.buses,
  rules: topology.rules,
  // Only to check that targets exist: nothing is invoked from here, so no environment is needed.
  lambda: createLambdaRegistry({
    functions: topology.functions.map((fn) =>
      localFunction(fn, { providerUrl: "", providerSecret: "", publicUrl: "", mailDir: "" }),
    ),
    rootDir: repositoryRoot,
    logger: silentLogger,
  }),
  logger: silentLogger,
});
const commands = eventBridgeCommands(eventBridge);

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
try {
  switch (positionals[0]) {
    case "dead-letters":
      print(await commands.listDeadLetters({ all: values.all }));
      break;
    case "redrive":
      print(await commands.redriveDeadLetters({ ids: positionals.slice(1) }));
      break;
    case "replay":
      if (!values.from || !values.to) throw new Error("replay needs --from and --to");
      print(
        await commands.replay({
          bus: values.bus ?? "allot",
          from: values.from,
          to: values.to,
          rules: values.rule,
          name: values.name,
        }),
      );
      break;
    default:
      process.stderr.write(`${usage}\n`);
      process.exitCode = 2;
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  client.destroy();
}

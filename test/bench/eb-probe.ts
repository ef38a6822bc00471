import "../../packages/aws-local/src/polyfills.js";
import { runtimeTable, startTestDynamo } from "../../packages/aws-local/test/support/dynamo.js";
import { batchWriteBaseline } from "./dynamodb-baseline.js";
import { startEventBridgeBench } from "./eventbridge.js";

const main = async () => {
  const dynamo = await startTestDynamo();
  const eb = await startEventBridgeBench(dynamo.doc, runtimeTable.name);
  for (let r = 0; r < Number(process.env.ROUNDS ?? 5); r++) {
    const c0 = process.cpuUsage();
    const a = await batchWriteBaseline(dynamo.doc, runtimeTable.name, {
      items: 5000,
      batchSize: 25,
      concurrency: 8,
    });
    const c1 = process.cpuUsage(c0);
    const t0 = performance.now();
    const c2 = process.cpuUsage();
    const res = await eb.round({ events: 2000, perCall: 10, concurrency: 8, timeoutMs: 60000 });
    const c3 = process.cpuUsage(c2);
    console.log(
      `A ${a.itemsPerSecond.toFixed(0)} (${a.ms.toFixed(0)}ms, node cpu ${((c1.user + c1.system) / 1000).toFixed(0)}ms) EB ${res.eventsPerSecond.toFixed(0)} (${(performance.now() - t0).toFixed(0)}ms, node cpu ${((c3.user + c3.system) / 1000).toFixed(0)}ms) ratio ${(res.eventsPerSecond / a.itemsPerSecond).toFixed(2)}`,
    );
  }
  await eb.stop();
  await dynamo.stop();
};
void main();

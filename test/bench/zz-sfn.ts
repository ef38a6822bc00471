import "../../packages/aws-local/src/polyfills.js";
import { runtimeTable, startTestDynamo } from "../../packages/aws-local/test/support/dynamo.js";
import { startStepFunctionsBench } from "./stepfunctions.js";

const dynamo = await startTestDynamo({ ownJvm: true });
const orig = dynamo.doc.send.bind(dynamo.doc);
const lat: Record<string, number[]> = {};
(dynamo.doc as any).send = async (cmd: any, ...rest: any[]) => {
  const t = performance.now();
  try { return await orig(cmd, ...rest); } finally { (lat[cmd.constructor.name] ??= []).push(performance.now() - t); }
};
const bench = await startStepFunctionsBench(dynamo.doc, runtimeTable.name);
for (const c of [1, 8, 8, 16, 32]) {
  for (const k of Object.keys(lat)) delete lat[k];
  const r = await bench.round({ executions: 200, concurrency: c, timeoutMs: 60_000 });
  const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]?.toFixed(1);
  console.log(`c=${c} exec/s ${r.executionsPerSecond.toFixed(1)}`, Object.entries(lat).map(([k, v]) => `${k}:${v.length}@${med(v)}ms`).join(" "));
}
await bench.stop();
await dynamo.stop();

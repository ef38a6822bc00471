// npm run bench: benchmarks of the local stack, each against a baseline measured in the same
// run. Every round measures each baseline and its subject back to back, one warm-up round is
// thrown away, and the figures are medians over the measured rounds (the machine is small and
// noisy: ratios, never absolute times, are what to compare between runs). Usage ingestion runs
// once after the rounds, through the whole local system (see ingestion.ts), when it is deployed.
import "../../packages/aws-local/src/polyfills.js";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { runtimeTable, startTestDynamo } from "../../packages/aws-local/test/support/dynamo.js";
import { functionByName } from "../../stacks/src/index.js";
import { batchWriteBaseline } from "./dynamodb-baseline.js";
import { startEventBridgeBench } from "./eventbridge.js";
import { costLines, type IngestionOutcome, ingestionBench } from "./ingestion.js";
import { median, num, ratio, summary, within } from "./stats.js";
import { startStepFunctionsBench } from "./stepfunctions.js";
import { createInMemoryBaseline } from "./stepfunctions-baseline.js";
import { countRequests, difference, type RequestCounts } from "./write-counter.js";

/**
 * The sections to run: `npm run bench -- ingestion` (or BENCH_SECTIONS=ingestion) runs only usage
 * ingestion; `emulators` only the rounds; nothing, both.
 */
const SECTIONS = ["emulators", "ingestion"] as const;
const chosen = (process.env.BENCH_SECTIONS?.split(",") ?? process.argv.slice(2))
  .map((x) => x.trim())
  .filter(Boolean);
const unknownSections = chosen.filter((x) => !(SECTIONS as readonly string[]).includes(x));
if (unknownSections.length) {
  console.error(
    `bench: unknown section(s) ${unknownSections.join(", ")}; choose among ${SECTIONS.join(", ")}`,
  );
  process.exit(64);
}
const runs = (section: (typeof SECTIONS)[number]) => chosen.length === 0 || chosen.includes(section);
/** The accept path's function timeout, the bound its latency is compared with. */
const INGEST_TIMEOUT_MS = functionByName("ingest-usage").timeoutSeconds * 1_000;

const WARM_UP_ROUNDS = 1;
const MIN_ROUNDS = 3;
const MAX_ROUNDS = 5;
/** No new round starts past this (from the process start) once MIN_ROUNDS are measured. */
const SOFT_BUDGET_MS = 95_000;
/** Usage ingestion's balances must have caught up by this (from the process start). */
const INGESTION_DEADLINE_MS = 170_000;
/** The whole run, DynamoDB Local's start included; past it the run stops and exits non-zero. */
const BUDGET_MS = 240_000;

const sizes = {
  batchWrite: { items: 5_000, batchSize: 25, concurrency: 8 },
  putEvents: { events: 2_000, perCall: 10, concurrency: 8, timeoutMs: 30_000 },
  inMemory: { executions: 5_000, concurrency: 8 },
  durable: { executions: 150, concurrency: 8, timeoutMs: 30_000 },
  ingestion: {
    records: 20_000,
    duplicateShare: 0.05,
    batchSize: 1_000,
    concurrency: 4,
    maxSendMs: 60_000,
    minSettleMs: 30_000,
    pollMs: 100,
    // DynamoDB Local on disk, as the runtime runs it, is several times slower than in memory.
    baseline: { items: 2_000, batchSize: 25, concurrency: 8 },
  },
};

interface Round {
  batchWrite: number;
  putEvents: number;
  putEventsCounts: RequestCounts;
  inMemory: number;
  durable: number;
  durableCounts: RequestCounts;
}

// --- stopping by itself, whatever happens ----------------------------------------------------

const stops: Array<() => Promise<void>> = [];
let dynamoPid: number | undefined;
let finishing = false;

const isDynamoDbLocal = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("DynamoDBLocal.jar");
  } catch {
    return false;
  }
};

/** Stops what was started so far, the last first. */
const stopAll = async () => {
  for (let stop = stops.pop(); stop; stop = stops.pop()) {
    try {
      await within(stop(), 10_000, "stopping");
    } catch (error) {
      console.error(`bench: ${String(error)}`);
    }
  }
};

const finish = async (code: number) => {
  if (finishing) return;
  finishing = true;
  await stopAll();
  // The JVM we started, by its pid, if stopping it politely did not work.
  if (dynamoPid !== undefined && isDynamoDbLocal(dynamoPid)) process.kill(dynamoPid, "SIGKILL");
  process.exit(code);
};

const fail = (error: unknown) => {
  console.error(`bench failed: ${(error as Error)?.stack ?? String(error)}`);
  void finish(1);
};

process.once("SIGINT", () => void finish(130));
process.once("SIGTERM", () => void finish(143));
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${BUDGET_MS / 1000} s, stopping`);
  void finish(2);
}, BUDGET_MS);

// --- the run -----------------------------------------------------------------------------------

const perUnit = (counts: RequestCounts, units: number) =>
  `${num(counts.itemWrites / units)} item writes in ${num(counts.writeRequests / units)} write requests, ` +
  `${num(counts.readRequests / units)} reads` +
  (counts.otherRequests ? `, ${num(counts.otherRequests / units)} other requests` : "");

const line = (cells: string[], widths: number[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");

interface ResultRow {
  name: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  baselineUnit: string;
  ratio: number;
}

const main = async () => {
  const results = runs("emulators") ? await runEmulators() : [];
  const ingestion: IngestionOutcome = runs("ingestion")
    ? await runIngestion()
    : { skipped: "not among the chosen sections" };
  if (!("skipped" in ingestion)) {
    const ig = ingestion;
    results.push({
      name: "ingestion.usage",
      value: ig.recordsPerSecond,
      unit: "records/s",
      baseline: "dynamodb.batchWrite (runtime)",
      baselineValue: ig.baseline.itemsPerSecond,
      baselineUnit: "items/s",
      ratio: ig.recordsPerSecond / ig.baseline.itemsPerSecond,
    });
    for (const [label, value] of [
      ["p50", ig.acceptMs.p50],
      ["p99", ig.acceptMs.p99],
    ] as const) {
      results.push({
        name: `ingestion.accept202.${label}`,
        value,
        unit: "ms",
        baseline: "ingest-usage timeout",
        baselineValue: INGEST_TIMEOUT_MS,
        baselineUnit: "ms",
        ratio: value / INGEST_TIMEOUT_MS,
      });
    }
  }
  console.log(
    "\nsummary (ratio = subject / same-run baseline, median of the per-round ratios; ingestion: one run; " +
      "accept202: a 1,000-record batch's POST /usage to its 202, 4 in flight, over the function's timeout)",
  );
  const cells = results.map((x) => [
    x.name,
    `${num(x.value)} ${x.unit}`,
    x.baseline,
    `${num(x.baselineValue)} ${x.baselineUnit}`,
    `ratio ${ratio(x.ratio)}`,
  ]);
  const columnWidths = [0, 1, 2, 3, 4].map((i) => Math.max(...cells.map((c) => (c[i] ?? "").length)));
  for (const c of cells) console.log(line(c, columnWidths).trimEnd());
};

/** The emulators' rounds against their baselines, in this process; their summary rows. */
const runEmulators = async (): Promise<ResultRow[]> => {
  const dynamo = await startTestDynamo();
  dynamoPid = dynamo.local?.pid;
  stops.push(() => dynamo.stop());
  const counter = countRequests(dynamo.doc);
  const table = runtimeTable.name;
  const eventBridge = await startEventBridgeBench(dynamo.doc, table);
  stops.push(() => eventBridge.stop());
  const stepFunctions = await startStepFunctionsBench(dynamo.doc, table);
  stops.push(() => stepFunctions.stop());
  const inMemory = createInMemoryBaseline();

  console.log(
    `allot bench: DynamoDB Local in memory at ${dynamo.endpoint}, Node ${process.version}, ` +
      `${availableParallelism()} CPUs; ${WARM_UP_ROUNDS} warm-up + ${MIN_ROUNDS} to ${MAX_ROUNDS} measured rounds`,
  );
  const widths = [6, 10, 12, 8, 10, 10, 10];
  console.log(line(["round", "A items/s", "EB events/s", "EB/A", "B exec/s", "SFN exec/s", "SFN/B"], widths));

  const rounds: Round[] = [];
  for (let r = 0; r < WARM_UP_ROUNDS + MAX_ROUNDS; r++) {
    const roundStart = performance.now();
    const batchWrite = await batchWriteBaseline(dynamo.doc, table, sizes.batchWrite);
    let before = counter.snapshot();
    const putEvents = await eventBridge.round(sizes.putEvents);
    const putEventsCounts = difference(counter.snapshot(), before);
    const baselineB = await inMemory.round(sizes.inMemory);
    before = counter.snapshot();
    const durable = await stepFunctions.round(sizes.durable);
    const durableCounts = difference(counter.snapshot(), before);
    const warm = r < WARM_UP_ROUNDS;
    console.log(
      line(
        [
          warm ? "warm" : String(r - WARM_UP_ROUNDS + 1),
          num(batchWrite.itemsPerSecond),
          num(putEvents.eventsPerSecond),
          ratio(putEvents.eventsPerSecond / batchWrite.itemsPerSecond),
          num(baselineB.executionsPerSecond),
          num(durable.executionsPerSecond),
          ratio(durable.executionsPerSecond / baselineB.executionsPerSecond),
        ],
        widths,
      ),
    );
    if (warm) continue;
    rounds.push({
      batchWrite: batchWrite.itemsPerSecond,
      putEvents: putEvents.eventsPerSecond,
      putEventsCounts,
      inMemory: baselineB.executionsPerSecond,
      durable: durable.executionsPerSecond,
      durableCounts,
    });
    const roundMs = performance.now() - roundStart;
    if (rounds.length >= MIN_ROUNDS && rounds.length < MAX_ROUNDS) {
      if (performance.now() + roundMs > SOFT_BUDGET_MS) {
        console.log(`(time budget: stopping after ${rounds.length} measured rounds)`);
        break;
      }
    }
  }

  const of = (pick: (round: Round) => number) => rounds.map(pick);
  const counts = (pick: (round: Round) => RequestCounts) =>
    rounds.map(pick).reduce(
      (sum, c) => ({
        itemWrites: sum.itemWrites + c.itemWrites,
        writeRequests: sum.writeRequests + c.writeRequests,
        readRequests: sum.readRequests + c.readRequests,
        otherRequests: sum.otherRequests + c.otherRequests,
      }),
      { itemWrites: 0, writeRequests: 0, readRequests: 0, otherRequests: 0 },
    );
  const ebCounts = counts((round) => round.putEventsCounts);
  const sfnCounts = counts((round) => round.durableCounts);
  const writesPerEvent = ebCounts.itemWrites / (sizes.putEvents.events * rounds.length);
  const writesPerExecution = sfnCounts.itemWrites / (sizes.durable.executions * rounds.length);

  const { batchWrite: bw, putEvents: pe, inMemory: im, durable: du } = sizes;
  console.log("\nmedian (min–max) over the measured rounds");
  console.log(
    `  baseline A  dynamodb.batchWrite      ${summary(of((x) => x.batchWrite))} items/s ` +
      `(${num(bw.items)} items, ${bw.batchSize} per BatchWriteItem, ${bw.concurrency} in flight)`,
  );
  console.log(
    `  eventbridge.putEvents                ${summary(of((x) => x.putEvents))} events/s ` +
      `(${num(pe.events)} events, ${pe.perCall} per call, ${pe.concurrency} calls in flight, until all delivered to a no-op target)`,
  );
  console.log(`      per event: ${perUnit(ebCounts, sizes.putEvents.events * rounds.length)}`);
  console.log(
    `  baseline B  aws-local-stepfunctions  ${summary(of((x) => x.inMemory))} executions/s ` +
      `(${num(im.executions)} executions, ${im.concurrency} in flight, in memory, no persistence)`,
  );
  console.log(
    `  stepfunctions.durable                ${summary(of((x) => x.durable))} executions/s ` +
      `(${num(du.executions)} executions, ${du.concurrency} in flight, StartExecution to SUCCEEDED)`,
  );
  console.log(`      per execution: ${perUnit(sfnCounts, sizes.durable.executions * rounds.length)}`);
  console.log(
    `      durability costs ${num(1 / median(of((x) => x.durable / x.inMemory)))}x the in-memory interpreter's time per execution`,
  );

  // The in-process emulators and their DynamoDB Local are done: stop them, so that the runtime
  // has the machine to itself.
  await stopAll();

  // Each ratio is the median of the per-round ratios: a round measures both back to back, so a
  // slow spell of the machine weighs on both sides of the same ratio.
  const results: ResultRow[] = [
    {
      name: "eventbridge.putEvents",
      value: median(of((x) => x.putEvents)),
      unit: "events/s",
      baseline: "dynamodb.batchWrite",
      baselineValue: median(of((x) => x.batchWrite)),
      baselineUnit: "items/s",
      ratio: median(of((x) => x.putEvents / x.batchWrite)),
    },
    {
      name: "eventbridge.itemWrites",
      value: median(of((x) => x.putEvents * writesPerEvent)),
      unit: "items/s",
      baseline: "dynamodb.batchWrite",
      baselineValue: median(of((x) => x.batchWrite)),
      baselineUnit: "items/s",
      ratio: median(of((x) => (x.putEvents * writesPerEvent) / x.batchWrite)),
    },
    {
      name: "stepfunctions.durable",
      value: median(of((x) => x.durable)),
      unit: "executions/s",
      baseline: "aws-local-stepfunctions",
      baselineValue: median(of((x) => x.inMemory)),
      baselineUnit: "executions/s",
      ratio: median(of((x) => x.durable / x.inMemory)),
    },
    {
      name: "stepfunctions.itemWrites",
      value: median(of((x) => x.durable * writesPerExecution)),
      unit: "items/s",
      baseline: "dynamodb.batchWrite",
      baselineValue: median(of((x) => x.batchWrite)),
      baselineUnit: "items/s",
      ratio: median(of((x) => (x.durable * writesPerExecution) / x.batchWrite)),
    },
  ];
  return results;
};

// --- usage ingestion, once, through the whole local system ----------------------------------

const runIngestion = async (): Promise<IngestionOutcome> => {
  console.log(
    "\ningestion (once, through `npm start` as a child process: POST /usage to GET /awards/{id}/usage)",
  );
  const { ingestion: ig } = sizes;
  const started = performance.now();
  const outcome = await ingestionBench(ig, INGESTION_DEADLINE_MS, (stop) => stops.push(stop));
  if ("skipped" in outcome) {
    console.log(`ingestion: skipped (${outcome.skipped})`);
    return outcome;
  }
  const o = outcome;
  /** Whole numbers (cents, counts) in full. */
  const cents = (value: number) => value.toLocaleString("en-US");
  console.log(
    `  baseline    dynamodb.batchWrite      ${num(o.baseline.itemsPerSecond)} items/s on the runtime's DynamoDB Local ` +
      `(${num(ig.baseline.items)} items, ${ig.baseline.batchSize} per BatchWriteItem, ${ig.baseline.concurrency} in flight, scratch table)`,
  );
  console.log(
    `  ingestion.usage                      ${num(o.recordsPerSecond)} distinct records/s, first send to balance updated ` +
      `(${num(o.sent)} records sent in ${o.batches} batches of up to ${num(ig.batchSize)}, ${ig.concurrency} in flight, ` +
      `${cents(o.duplicatesSent)} duplicates, shuffled; ${cents(o.distinct)} distinct accepted, ${cents(o.rejected)} rejected; ` +
      `${num(o.ms / 1000)} s)`,
  );
  if (o.cutShort) console.log(`      sent ${num(o.sent)} of ${num(ig.records)}: ${o.cutShort}`);
  if (o.retried.length)
    console.log(`      batches sent again after a 5xx: ${o.retried.length} (${o.retried.join(", ")})`);
  if (o.rejectedReasons.length) console.log(`      rejections: ${o.rejectedReasons.join(" | ")}`);
  console.log(
    `      ratio to raw BatchWriteItem: ${ratio(o.recordsPerSecond / o.baseline.itemsPerSecond)} ` +
      "(target at least 0.5 now, 1 with batching and aggregation)",
  );
  console.log(
    `      exactness: sum of the distinct accepted records' charges ${cents(o.expectedCents)} cents = ` +
      `consumedCents ${cents(o.consumedCents)} ${o.expectedCents === o.consumedCents ? "ok" : "MISMATCH"}`,
  );
  console.log(
    `      latency from a batch's 202 to the balance including it: p50 ${num(o.latencyMs.p50)} ms, ` +
      `p99 ${num(o.latencyMs.p99)} ms, max ${num(o.latencyMs.max)} ms ` +
      `(${o.latencyMs.batches} batches, balance polled every ${ig.pollMs} ms, ${num(o.polls)} readings; approximate, see ingestion.ts)`,
  );
  console.log(
    `      POST /usage to its 202, per full batch of ${num(ig.batchSize)} (${ig.concurrency} in flight): ` +
      `p50 ${num(o.acceptMs.p50)} ms, p99 ${num(o.acceptMs.p99)} ms, max ${num(o.acceptMs.max)} ms ` +
      `(${o.acceptMs.batches} batches; the function's timeout is ${num(INGEST_TIMEOUT_MS)} ms)`,
  );
  for (const text of costLines()) console.log(`      ${text}`);
  console.log(
    `      (the section took ${num((performance.now() - started) / 1000)} s, runtime start included)`,
  );
  return outcome;
};

main().then(() => {
  clearTimeout(watchdog);
  void finish(0);
}, fail);

import { afterEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "../src/eventbridge/http-target.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("an API destination's rate limit", () => {
  it("gives each send the next free slot of its destination, and leaves other destinations alone", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limit = createRateLimiter();
    const started: Array<[string, number]> = [];
    const send = (name: string) => limit(name, 4).then(() => started.push([name, Date.now() - 1_000_000]));
    const sends = [send("slow"), send("slow"), send("slow"), send("other")];
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(sends);
    expect(started).toEqual([
      ["slow", 0],
      ["other", 0],
      ["slow", 250],
      ["slow", 500],
    ]);
  });

  it("does not save up slots while a destination is idle", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limit = createRateLimiter();
    await limit("slow", 4);
    await vi.advanceTimersByTimeAsync(5_000);
    const started: number[] = [];
    const sends = [0, 1].map(() => limit("slow", 4).then(() => started.push(Date.now() - 1_005_000)));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(sends);
    expect(started).toEqual([0, 250]);
  });
});

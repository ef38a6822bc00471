/** Runs `task` over `items` with at most `limit` in flight; results keep the input order. */
export const mapLimit = async <T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>) => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

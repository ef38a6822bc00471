/**
 * How long a usage batch may spend storing: well inside the function's timeout, leaving the
 * writes in flight time to land and the answer time to go out.
 */
export const storeBudgetMs = (timeoutMs: number) => Math.floor(timeoutMs * 0.6);

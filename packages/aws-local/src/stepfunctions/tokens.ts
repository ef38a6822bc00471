/**
 * What `$$.Task.Token` resolves to inside the interpreter, which has no notion of task tokens;
 * the task override swaps it for the real token wherever it landed (plain value or inside a
 * string built by an intrinsic function).
 */
export const TOKEN_PLACEHOLDER = "@@local-task-token@@";

// A token names its execution and task record, so answering it needs one consistent read and
// no index; and it is derived from them, so the same task attempt gets the same token after a
// restart even if the restart happened between minting it and persisting it.
export const mintToken = (executionArn: string, taskKey: string): string =>
  `AQ${Buffer.from(JSON.stringify({ e: executionArn, k: taskKey }), "utf8").toString("base64url")}`;

export const parseToken = (token: unknown): { executionArn: string; taskKey: string } | undefined => {
  if (typeof token !== "string" || !token.startsWith("AQ") || token.length > 2048) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token.slice(2), "base64url").toString("utf8")) as {
      e?: unknown;
      k?: unknown;
    };
    if (typeof decoded.e !== "string" || typeof decoded.k !== "string") return undefined;
    return { executionArn: decoded.e, taskKey: decoded.k };
  } catch {
    return undefined;
  }
};

export const injectToken = (value: unknown, token: string): unknown => {
  if (typeof value === "string")
    return value.includes(TOKEN_PLACEHOLDER) ? value.split(TOKEN_PLACEHOLDER).join(token) : value;
  if (Array.isArray(value)) return value.map((item) => injectToken(item, token));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, injectToken(item, token)]));
  }
  return value;
};

export type TokenSignal =
  | { kind: "succeeded"; output: string }
  | { kind: "failed"; error?: string; cause?: string }
  | { kind: "heartbeat"; heartbeatAt: number };

/** In-process listeners of tokens whose task is waiting right now; the store stays the truth. */
export class TokenListeners {
  private readonly listeners = new Map<string, Set<(signal: TokenSignal) => void>>();

  listen(token: string, listener: (signal: TokenSignal) => void): () => void {
    let set = this.listeners.get(token);
    if (!set) {
      set = new Set();
      this.listeners.set(token, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(token);
    };
  }

  notify(token: string, signal: TokenSignal): void {
    for (const listener of [...(this.listeners.get(token) ?? [])]) listener(signal);
  }

  clear(): void {
    this.listeners.clear();
  }
}

// Structured, readable logs for the local AWS: one JSON line per record on stderr in the
// "json" format, otherwise "time level message key=value".
export type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export const createLogger = (
  options: { level?: Level; format?: "json" | "pretty"; base?: Record<string, unknown> } = {},
): Logger => {
  const level = options.level ?? "info";
  const format = options.format ?? "pretty";
  const base = options.base ?? {};
  const write = (at: Level, message: string, fields: Record<string, unknown> = {}) => {
    if (order[at] < order[level]) return;
    const record = { time: new Date().toISOString(), level: at, message, ...base, ...fields };
    if (format === "json") {
      process.stderr.write(`${JSON.stringify(record)}\n`);
      return;
    }
    const extra = Object.entries({ ...base, ...fields })
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    process.stderr.write(
      `${record.time.slice(11, 23)} ${at.toUpperCase().padEnd(5)} ${message}${extra ? ` ${extra}` : ""}\n`,
    );
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger({ level, format, base: { ...base, ...fields } }),
  };
};

/** Level and format from the values of two settings (environment variables the caller names). */
export const logSettings = (level: string | undefined, format: string | undefined) => ({
  level: level && level in order ? (level as Level) : ("info" as Level),
  format: format === "json" ? ("json" as const) : ("pretty" as const),
});

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

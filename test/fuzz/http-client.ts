import { request } from "node:http";

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

/**
 * One request with the path sent byte for byte (fetch would normalize `..` and escapes away),
 * failing if no answer comes within the timeout: a hang is a defect like a 5xx.
 */
export const rawRequest = (
  base: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
) =>
  new Promise<RawResponse>((resolve, reject) => {
    const url = new URL(base);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        headers: {
          ...options.headers,
          ...(options.body !== undefined ? { "content-length": Buffer.byteLength(options.body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(
        new Error(`no answer within ${timeoutMs} ms (${options.method} ${options.path.slice(0, 200)})`),
      ),
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });

import http from 'node:http';
import type { RequestListener } from 'node:http';

/**
 * How long a client may take and how many may be connected at once. Node's defaults let a client
 * that sends a header a minute hold its socket for 300 s; these bound every phase of a request.
 */
export type ServerLimits = {
  /** The whole request head must arrive within this. */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** An idle keep-alive socket is closed after this. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic at all (a stalled upload, a response nobody reads). */
  socketTimeoutMs: number;
  /** Connections beyond this are refused (closed) at once. */
  maxConnections: number;
  /** How often the timeouts above are looked at. */
  checkIntervalMs: number;
};

export const SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  socketTimeoutMs: 30_000,
  maxConnections: 1_024,
  checkIntervalMs: 1_000,
};

/** An HTTP server for the app with every limit set; resolves once it listens. */
export function listen(
  app: RequestListener,
  port: number,
  host: string,
  limits: ServerLimits = SERVER_LIMITS,
): Promise<http.Server> {
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      maxHeaderSize: 16 * 1024,
    },
    app,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.maxHeadersCount = 100;
  server.setTimeout(limits.socketTimeoutMs, (socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

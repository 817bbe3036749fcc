import net from 'node:net';
import express from 'express';
import { listen, SERVER_LIMITS } from './serve.js';

const closedWithin = (port: number, send: (s: net.Socket) => void, ms: number) =>
  new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const s = net.connect(port, '127.0.0.1', () => send(s));
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => resolve(Date.now() - started));
    setTimeout(() => reject(new Error('socket still open')), ms).unref();
  });

describe('the HTTP server limits', () => {
  it("drops a slow client that trickles its headers, long before Node's 300 s", async () => {
    const server = await listen(express(), 0, '127.0.0.1', {
      ...SERVER_LIMITS,
      headersTimeoutMs: 400,
      requestTimeoutMs: 800,
      checkIntervalMs: 100,
    });
    const port = (server.address() as net.AddressInfo).port;
    const held = await closedWithin(
      port,
      (s) => {
        s.write('GET / HTTP/1.1\r\nHost: x\r\n');
        const drip = setInterval(() => s.writable && s.write('X-Slow: 1\r\n'), 100);
        s.on('close', () => clearInterval(drip));
      },
      5_000,
    );
    expect(held).toBeLessThan(3_000);
    server.close();
  });

  it('refuses connections beyond the cap', async () => {
    const server = await listen(express(), 0, '127.0.0.1', { ...SERVER_LIMITS, maxConnections: 2 });
    const port = (server.address() as net.AddressInfo).port;
    const open = await Promise.all(
      [1, 2].map(
        () =>
          new Promise<net.Socket>((r) => {
            const s = net.connect(port, '127.0.0.1', () => r(s));
          }),
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    const third = await closedWithin(port, () => undefined, 2_000);
    expect(third).toBeLessThan(2_000);
    for (const s of open) s.destroy();
    server.close();
  });

  it('sets the defaults the service runs with', () => {
    expect(SERVER_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(SERVER_LIMITS.maxConnections).toBeGreaterThan(0);
  });
});

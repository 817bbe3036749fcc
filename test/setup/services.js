// Jest globalSetup for the integration and e2e projects: the real Redis and PostgreSQL must answer.
// Starts them when they are down (as CI's machine does), and fails loudly when they cannot be had:
// a test that needs a service never silently skips.
const { execSync } = require('node:child_process');
const net = require('node:net');

const probe = (port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const START = {
  6379: `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /tmp --logfile /tmp/pb-redis.log`,
  5432: `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main start`,
};

async function ensure(name, port) {
  if (await probe(port)) return;
  try {
    execSync(START[port], { stdio: 'ignore', shell: '/bin/bash' });
  } catch {
    /* reported below */
  }
  for (let i = 0; i < 50; i++) {
    if (await probe(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} is not reachable on 127.0.0.1:${port} and could not be started: integration tests need it`);
}

module.exports = async () => {
  await ensure('Redis', 6379);
  await ensure('PostgreSQL', 5432);
};

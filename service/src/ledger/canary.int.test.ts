import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import request from 'supertest';
import { buildApp } from '../platform/http/build-app.js';
import { withBody } from '../platform/http/with-body.js';
import { sensitive } from '../platform/sensitive.js';
import { captureLogs } from '../testing/log-capture.js';
import { postgresHarness, sqliteHarness, type HarnessFactory } from '../testing/ledger-harness.js';
import { Router } from 'express';
import { z } from 'zod';

const CANARY = 'canary@example.invalid';
const CANARY_PHONE = '+355 69 123 4567';

/** Everything a store holds, as bytes: the SQLite file with its WAL, or a pg_dump of the database. */
function dump(name: 'sqlite' | 'postgres', url: string): string {
  if (name === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    return ['', '-wal', '-shm']
      .map((s) => (fs.existsSync(file + s) ? fs.readFileSync(file + s).toString('latin1') : ''))
      .join('');
  }
  return execFileSync('pg_dump', ['--data-only', '--inserts', url], { encoding: 'utf8' });
}

describe.each<[string, HarnessFactory]>([
  ['sqlite', sqliteHarness],
  ['postgres', postgresHarness],
])('the canary never leaves the ledger in clear (%s)', (_name, open) => {
  it('is absent from the database and from every log line, through the ledger and the HTTP layer', async () => {
    const h = await open();
    const { log, text } = captureLogs();
    try {
      const subject = h.ledger.subjectRef(sensitive(CANARY));
      await h.ledger.record({
        key: 'order-1',
        kind: 'order.synced',
        subject,
        categories: ['contact'],
        personal: sensitive({ email: CANARY, phone: CANARY_PHONE }),
      });
      await h.ledger.link(subject, h.ledger.subjectRef(sensitive(`new.${CANARY}`)));
      log.info(
        { subject, personal: sensitive(CANARY), email: CANARY, customer: { email: CANARY, phone: CANARY_PHONE } },
        'synced',
      );

      const app = buildApp({
        log,
        routers: [
          Router().post(
            '/echo',
            withBody(z.object({ email: z.email(), n: z.number() }), async () => undefined),
          ),
        ],
      });
      await request(app).post('/echo').send({ email: CANARY, n: 'not a number' }).expect(400);
      await request(app)
        .post('/echo')
        .set('content-type', 'application/json')
        .send(`{"email":"${CANARY}",`)
        .expect(400);
      await request(app)
        .get(`/nowhere?email=${encodeURIComponent(CANARY)}`)
        .expect(404);
      const failing = buildApp({
        log,
        routers: [
          Router().get('/boom', () => {
            throw new Error(`db said: ${CANARY}`);
          }),
        ],
      });
      const boom = await request(failing).get('/boom').expect(500);
      expect(JSON.stringify(boom.body)).not.toContain(CANARY);

      const stored = dump(h.name, h.url);
      expect(stored).toContain('order.synced'); // the dump really holds the ledger…
      expect(stored).not.toContain(CANARY); // …but never the canary in clear
      expect(stored).not.toContain(CANARY_PHONE);
      expect(text()).toContain('synced');
      expect(text()).toContain('db said: [email]'); // a foreign error's message is kept, scrubbed
      expect(text()).not.toContain(CANARY);
      expect(text()).not.toContain(CANARY_PHONE);
    } finally {
      await h.close();
    }
  });
});

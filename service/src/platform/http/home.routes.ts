import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { bilingualDocument, html } from './html.js';

/**
 * `GET /`: a small page for whoever opens the service in a browser first (Albanian, then English): what this is
 * and where to look next. `GET /readme`: the repository's README.md as plain text, when it is beside the code.
 */
const TEXT = {
  sq: {
    title: 'Privacy Bridge',
    what: 'Shërbimi që mban regjistrin e privatësisë së dyqanit WooCommerce: çfarë të dhënash personale mbahen, pse dhe që kur; pëlqimet, eksportet, fshirjet dhe korrigjimet e kërkuara nga njerëzit.',
    noPeople: 'Kjo faqe është për ata që e operojnë shërbimin. Klientët e dyqanit nuk kanë nevojë të vijnë këtu.',
    links: 'Lidhje',
    health: 'procesi është gjallë',
    ready: 'baza e të dhënave, Redis dhe migrimet janë gati',
    readme: 'si nisni, si lidhni dyqanin, si testoni',
    admin: 'faqja e gjendjes për operatorët (hyrje me token)',
  },
  en: {
    title: 'Privacy Bridge',
    what: 'The service that keeps a WooCommerce shop’s privacy ledger: what personal data it holds, why and since when; the consents, exports, erasures and rectifications people ask for.',
    noPeople: 'This page is for whoever runs the service. The shop’s customers never need to come here.',
    links: 'Links',
    health: 'the process is up',
    ready: 'the database, Redis and migrations are ready',
    readme: 'how to start, connect your shop and test',
    admin: "the operators' status page (sign in with a token)",
  },
} as const;

const body = (t: (typeof TEXT)['sq' | 'en']) =>
  html`<p>${t.what}</p><p>${t.noPeople}</p><h2>${t.links}</h2><ul>${[
    html`<li><a href="/admin">/admin</a> — ${t.admin}</li>`,
    html`<li><a href="/healthz">/healthz</a> — ${t.health}</li>`,
    html`<li><a href="/readyz">/readyz</a> — ${t.ready}</li>`,
    html`<li><a href="/readme">README</a> — ${t.readme}</li>`,
  ]}</ul>`;

export const HOME_PAGE = bilingualDocument(TEXT, (t) => t.title, body);

/** The README.md nearest above this file (the repository's, from `service/src` and from `dist/service/src` alike). */
function findReadme(from: string = __dirname): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')))
      return existsSync(path.join(dir, 'README.md')) ? path.join(dir, 'README.md') : null;
    if (path.dirname(dir) === dir) return null;
  }
}

export function homeRoutes(readme: string | null = findReadme()): Router {
  return Router()
    .get('/', (_req, res) => {
      res.type('html').send(HOME_PAGE);
    })
    .get('/readme', (_req, res, next) => {
      if (!readme) return next(); // → NOT_FOUND
      res.type('text/plain; charset=utf-8').send(readFileSync(readme, 'utf8'));
    });
}

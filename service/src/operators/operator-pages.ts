import { html, htmlDocument, type Html } from '../platform/http/html.js';
import { REFUSAL_CODES, type LinkRefusal } from './admin-login-links.js';
import type { Session } from './admin-sessions.js';
import type { Role } from './admin-tokens.js';
import type { OperatorMessages } from './operator-messages.js';
import type { StatusData } from './status.js';

/** The status page refreshes itself this often. */
export const REFRESH_SECONDS = 30;

const doc = (m: OperatorMessages, title: string, body: Html, refresh = false) =>
  htmlDocument({ lang: m.lang, title, body, refreshSeconds: refresh ? REFRESH_SECONDS : undefined });

/** The two formatters per language, built once: constructing an Intl.DateTimeFormat costs ~0.2 ms, per date it added up. */
const FORMATS = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
const formatsOf = (lang: OperatorMessages['lang']) => {
  let f = FORMATS.get(lang);
  if (!f) {
    const locale = lang === 'sq' ? 'sq-AL' : 'en-GB';
    const timeZone = 'Europe/Tirane';
    f = {
      date: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }),
      time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }),
    };
    FORMATS.set(lang, f);
  }
  return f;
};

/** "2 dhjetor 2026, 15:05" / "2 December 2026, 15:05", in the shop's time zone. */
const when = (iso: string, m: OperatorMessages) => {
  const at = new Date(iso);
  const f = formatsOf(m.lang);
  return `${f.date.format(at)}, ${f.time.format(at)}`;
};

/** Why the sign-in page is shown again: a token that did not work, or a sign-in link that did not. */
export type SignInFailure = 'token' | LinkRefusal;

export function loginPage(m: OperatorMessages, failure: SignInFailure | null): string {
  const alert =
    failure === null
      ? ''
      : failure === 'token'
        ? html`<p class="bad" role="alert">${m.signInFailed}</p>`
        : html`<p class="bad" role="alert" data-code="${REFUSAL_CODES[failure]}">${m.linkRefused[failure]}</p>`;
  return doc(
    m,
    m.signIn,
    html`<header><h1>${m.signIn}</h1><a href="/admin/login?lang=${m.other.lang}" lang="${m.other.lang}">${m.other.name}</a></header>
    <form method="post" action="/admin/login?lang=${m.lang}">
      ${alert}
      <p>${m.signInHelp}</p>
      <p><label for="token">${m.token}</label><br><input type="password" id="token" name="token" autocomplete="off" required></p>
      <p><button type="submit">${m.signInButton}</button></p>
    </form>`,
  );
}

/** The confirm page of a one-time sign-in link: opening it uses nothing, the button (a POST) signs in. */
export function linkPage(
  m: OperatorMessages,
  link: { token: string; operator: string; role: Role; expiresAt: string },
): string {
  return doc(
    m,
    m.linkTitle,
    html`<header><h1>${m.linkTitle}</h1><a href="?lang=${m.other.lang}" lang="${m.other.lang}">${m.other.name}</a></header>
    <form method="post" action="/admin/login/${link.token}?lang=${m.lang}">
      <p>${m.linkConfirm(link.operator, m.role[link.role], when(link.expiresAt, m))}</p>
      <p class="muted">${m.linkWhy}</p>
      <p><button type="submit">${m.linkButton}</button></p>
    </form>`,
  );
}

export function statusPage(m: OperatorMessages, s: StatusData, session: Session, notice: string | null): string {
  const csrf = html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
  const canAct = session.role === 'operator';
  const queueRows = s.queues.map(
    (
      q,
    ) => html`<tr><th scope="row">${q.name}</th><td class="n">${q.waiting}</td><td class="n">${q.active}</td><td class="n">${q.delayed}</td>
    <td class="n ${q.failed > 0 ? 'bad' : ''}">${q.failed}</td><td class="n">${q.oldestWaitingSeconds === null ? m.none : m.seconds(q.oldestWaitingSeconds)}</td>
    <td>${canAct && q.failed > 0 ? html`<form class="inline" method="post" action="/admin/queues/${q.name}/retry-failed?lang=${m.lang}">${csrf}<button type="submit">${m.retryFailed}</button></form>` : ''}</td></tr>`,
  );
  const r = s.requests;
  const more = r.overdue + r.dueSoon - r.attention.length;
  const ledger = s.ledger.break
    ? html`<p class="bad">${m.broken(s.ledger.break.seq, s.ledger.break.reason)}</p>`
    : html`<p class="${s.ledger.verified ? 'ok' : ''}">${s.ledger.verifiedAt ? m.verified(when(s.ledger.verifiedAt, m)) : m.notVerified}</p>`;
  const alerts =
    s.alerts.length === 0
      ? html`<p class="ok">${m.noAlerts}</p>`
      : html`<div class="wide"><table><thead><tr>${m.alertsHead.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${s.alerts.map(
          (a) =>
            html`<tr><th scope="row" title="${a.title[m.lang]}">${a.alert}</th><td><code>${a.subject}</code></td>
            <td class="${a.severity === 'critical' ? 'bad' : ''}">${m.severity[a.severity]}</td><td>${when(a.since, m)}</td>
            <td>${a.lastSentAt ? when(a.lastSentAt, m) : m.none}</td><td class="${a.state === 'failed' ? 'bad' : ''}">${m.sendState[a.state]}</td></tr>
            <tr><td colspan="6" class="muted">${a.title[m.lang]}</td></tr>`,
        )}</tbody></table></div>`;
  return doc(
    m,
    m.title,
    html`<header><h1>${m.title}</h1>
      <span class="muted">${m.signedInAs(session.operator, m.role[session.role])} · <a href="?lang=${m.other.lang}" lang="${m.other.lang}">${m.other.name}</a></span>
      <form class="inline" method="post" action="/admin/logout?lang=${m.lang}">${csrf}<button type="submit">${m.signOut}</button></form></header>
    ${notice ? html`<p role="status">${notice}</p>` : ''}
    <p class="muted">${m.refreshed(REFRESH_SECONDS)} ${when(s.at, m)}</p>
    <h2>${m.alerts}</h2>${alerts}
    <h2>${m.queues}</h2><div class="wide"><table><thead><tr>${m.queueHead.map((h) => html`<th scope="col">${h}</th>`)}<th></th></tr></thead><tbody>${queueRows}</tbody></table></div>
    <h2>${m.requests}</h2><p class="${r.overdue > 0 ? 'bad' : ''}">${m.requestsLine(r.open, r.dueSoon, r.overdue)}</p>
    ${r.attention.length > 0 ? html`<div class="wide"><table><thead><tr>${m.requestsHead.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${r.attention.map((a) => html`<tr><td><code>${a.id}</code></td><td>${a.kind}</td><td>${a.status}</td><td class="${a.flag === 'overdue' ? 'bad' : ''}">${when(a.dueAt, m)} (${m.flag[a.flag]})</td></tr>`)}</tbody></table></div>` : ''}
    ${more > 0 ? html`<p>${m.moreRequests(more)}</p>` : ''}
    <h2>${m.ledger}</h2><p>${m.head(s.ledger.seq)}</p>${ledger}
    <h2>${m.sync}</h2><p>${s.sync.reconciledAt ? m.reconciled(when(s.sync.reconciledAt, m), s.sync.lagSeconds ?? 0) : m.neverReconciled}</p>
    ${webhooksSection(m, s.webhooks)}
    ${deliveriesSection(m, s.deliveries)}
    <h2>${m.pluginOutbox}</h2><p class="muted">${m.pluginOutboxUnknown}</p>`,
    true,
  );
}

function webhooksSection(m: OperatorMessages, w: StatusData['webhooks']): Html {
  const head = html`<h2>${m.webhooks}</h2>`;
  if (!w) return html`${head}<p>${m.webhooksNoStore}</p>`;
  if (!w.checkedAt) return html`${head}<p>${m.webhooksNotChecked(w.everySeconds)}</p>`;
  const rows = w.topics.map(
    (t) =>
      html`<tr><th scope="row"><code>${t.topic}</code></th><td class="${t.state === 'active' ? 'ok' : 'bad'}" data-state="${t.state}">${m.webhookState[t.state]}${t.reactivated ? html` (${m.reactivatedNote})` : ''}</td></tr>`,
  );
  return html`${head}<p>${m.webhooksChecked(when(w.checkedAt, m), w.everySeconds)}</p>
    <div class="wide"><table><thead><tr>${m.webhookHead.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function deliveriesSection(m: OperatorMessages, d: StatusData['deliveries']): Html {
  const head = html`<h2>${m.deliveries}</h2>`;
  const dead = d.dead.refused + d.dead.retriesExhausted;
  if (!d.configured && d.waiting + d.active + d.delayed + dead === 0) return html`${head}<p>${m.deliveriesNone}</p>`;
  return html`${head}<p>${m.deliveriesLine(d.waiting, d.active, d.delayed)}</p>
    <p class="${dead > 0 ? 'bad' : ''}">${m.deadLine(d.dead.refused, d.dead.retriesExhausted)}</p>${dead > 0 ? html`<p class="muted">${m.deadHint}</p>` : ''}`;
}

import { html, htmlDocument, type Html } from '../platform/http/html.js';
import { REFUSAL_CODES, type LinkRefusal } from './admin-login-links.js';
import type { Session } from './admin-sessions.js';
import type { Role } from './admin-tokens.js';
import type { OperatorMessages } from './operator-messages.js';
import { CLEAN_LIMITS, CLEAN_STATES, type JobAction } from './queue-actions.js';
import { BOARD_STATES, type BoardJob, type BoardPage, type BoardQueue } from './queue-board.js';
import type { RequestTimeline, StatusData } from './status.js';

/** The status page refreshes itself this often. */
export const REFRESH_SECONDS = 30;

const doc = (m: OperatorMessages, title: string, body: Html, refresh = false) =>
  htmlDocument({ lang: m.lang, title, body, refreshSeconds: refresh ? REFRESH_SECONDS : undefined });

/** The formatters per language (and with or without seconds), built once: constructing an Intl.DateTimeFormat costs ~0.2 ms, per date it added up. */
const FORMATS = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
const formatsOf = (lang: OperatorMessages['lang'], seconds: boolean) => {
  let f = FORMATS.get(`${lang}${seconds ? ':s' : ''}`);
  if (!f) {
    const locale = lang === 'sq' ? 'sq-AL' : 'en-GB';
    const timeZone = 'Europe/Tirane';
    f = {
      date: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }),
      time: new Intl.DateTimeFormat(locale, {
        hour: '2-digit',
        minute: '2-digit',
        ...(seconds ? { second: '2-digit' as const } : {}),
        hourCycle: 'h23',
        timeZone,
      }),
    };
    FORMATS.set(`${lang}${seconds ? ':s' : ''}`, f);
  }
  return f;
};

/** "2 dhjetor 2026, 15:05" / "2 December 2026, 15:05", in the shop's time zone (with seconds: "15:05:09"). */
const when = (iso: string, m: OperatorMessages, seconds = false) => {
  const at = new Date(iso);
  const f = formatsOf(m.lang, seconds);
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
    <h2>${m.queues}</h2><p><a href="/admin/queues?lang=${m.lang}">${m.board.open}</a></p><div class="wide"><table><thead><tr>${m.queueHead.map((h) => html`<th scope="col">${h}</th>`)}<th></th></tr></thead><tbody>${queueRows}</tbody></table></div>
    <h2>${m.requests}</h2><p class="${r.overdue > 0 ? 'bad' : ''}">${m.requestsLine(r.open, r.dueSoon, r.overdue)}</p>
    ${r.attention.length > 0 ? html`<div class="wide"><table><thead><tr>${m.requestsHead.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${r.attention.map((a) => html`<tr><td><a href="/admin/requests/${a.id}?lang=${m.lang}"><code>${a.id}</code></a></td><td>${a.kind}</td><td>${a.status}</td><td class="${a.flag === 'overdue' ? 'bad' : ''}">${when(a.dueAt, m)} (${m.flag[a.flag]})</td></tr>`)}</tbody></table></div>` : ''}
    ${more > 0 ? html`<p>${m.moreRequests(more)}</p>` : ''}
    <h2>${m.ledger}</h2><p>${m.head(s.ledger.seq)}</p>${ledger}
    <h2>${m.sync}</h2><p>${s.sync.reconciledAt ? m.reconciled(when(s.sync.reconciledAt, m), s.sync.lagSeconds ?? 0) : m.neverReconciled}</p>
    ${webhooksSection(m, s.webhooks)}
    ${deliveriesSection(m, s.deliveries)}
    ${pluginOutboxSection(m, s.pluginOutbox)}`,
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

function pluginOutboxSection(m: OperatorMessages, o: StatusData['pluginOutbox']): Html {
  const head = html`<h2>${m.pluginOutbox}</h2>`;
  if (!o) return html`${head}<p class="muted">${m.pluginOutboxUnknown}</p>`;
  const oldest = o.oldestAgeSeconds === null ? null : m.seconds(o.oldestAgeSeconds);
  return html`${head}<p class="${o.pending > 0 && (o.oldestAgeSeconds ?? 0) > 900 ? 'bad' : ''}">${m.pluginOutboxLine(o.pending, oldest, o.refused)}</p>
    <p class="${o.stale ? 'bad' : 'muted'}">${m.pluginOutboxAt(when(o.receivedAt, m), o.stale)}</p>`;
}

function deliveriesSection(m: OperatorMessages, d: StatusData['deliveries']): Html {
  const head = html`<h2>${m.deliveries}</h2>`;
  const dead = d.dead.refused + d.dead.retriesExhausted;
  if (!d.configured && d.waiting + d.active + d.delayed + dead === 0) return html`${head}<p>${m.deliveriesNone}</p>`;
  return html`${head}<p>${m.deliveriesLine(d.waiting, d.active, d.delayed)}</p>
    <p class="${dead > 0 ? 'bad' : ''}">${m.deadLine(d.dead.refused, d.dead.retriesExhausted)}</p>${dead > 0 ? html`<p class="muted">${m.deadHint}</p>` : ''}`;
}

/** The header every signed-in page shares: title, who is signed in, the other language, sign-out. */
const signedInHeader = (m: OperatorMessages, title: string, session: Session, otherHref: string) =>
  html`<header><h1>${title}</h1>
      <span class="muted">${m.signedInAs(session.operator, m.role[session.role])} · <a href="${otherHref}" lang="${m.other.lang}">${m.other.name}</a></span>
      <form class="inline" method="post" action="/admin/logout?lang=${m.lang}"><input type="hidden" name="_csrf" value="${session.csrf}"><button type="submit">${m.signOut}</button></form></header>`;

const boardHref = (m: OperatorMessages, queue: string, state: string, page = 1) =>
  `/admin/queues/${queue}?state=${state}${page > 1 ? `&page=${page}` : ''}&lang=${m.lang}`;

/**
 * The queue board's first page: every queue, paused or running, and its jobs per state (each count a link
 * to that state's page). Read-only for everyone; the actions are on each queue's page.
 */
export function boardOverviewPage(
  m: OperatorMessages,
  queues: readonly BoardQueue[],
  session: Session,
  notice: string | null,
): string {
  const rows = queues.map(
    (q) =>
      html`<tr><th scope="row"><a href="${boardHref(m, q.name, 'failed')}">${q.name}</a></th>
      <td class="${q.paused ? 'bad' : ''}">${q.paused ? m.board.paused : m.board.running}</td>
      ${BOARD_STATES.map((s) => html`<td class="n ${s === 'failed' && q.counts.failed > 0 ? 'bad' : ''}"><a href="${boardHref(m, q.name, s)}" aria-label="${q.name}: ${m.board.state[s]}">${q.counts[s]}</a></td>`)}</tr>`,
  );
  return doc(
    m,
    m.board.title,
    html`${signedInHeader(m, m.board.title, session, `?lang=${m.other.lang}`)}
    ${notice ? html`<p role="status">${notice}</p>` : ''}
    <p><a href="/admin?lang=${m.lang}">${m.board.back}</a></p>
    ${session.role === 'operator' ? '' : html`<p class="muted">${m.board.readOnly}</p>`}
    <div class="wide"><table><thead><tr>${m.board.queueHead.map((h) => html`<th scope="col">${h}</th>`)}${BOARD_STATES.map((s) => html`<th scope="col">${m.board.state[s]}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

/** Which actions apply to a job in each state (active jobs: none, a worker holds them). */
const ACTIONS_IN: Record<BoardJob['state'], readonly JobAction[]> = {
  failed: ['retry', 'remove'],
  delayed: ['promote', 'remove'],
  waiting: ['remove'],
  completed: ['remove'],
  active: [],
};

/**
 * One queue's page: its counts as tabs, one page of one state's jobs (newest first), and, for an operator
 * only, the forms that act — pause or resume, retry every failed job, clean finished jobs, and per job
 * retry, promote or remove. A viewer's page has no form but sign-out (and the server refuses a viewer's
 * writes anyway). What a job shows: see BoardJob — never its data, never its stack trace.
 */
export function boardQueuePage(m: OperatorMessages, view: BoardPage, session: Session, notice: string | null): string {
  const { queue: q, state, page, pages } = view;
  const canAct = session.role === 'operator';
  const csrf = html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
  const back = `state=${state}&page=${page}&lang=${m.lang}`;
  const post = (action: string, label: string, extra: unknown = '') =>
    html`<form class="inline" method="post" action="/admin/queues/${q.name}/${action}?${back}">${csrf}${extra}<button type="submit">${label}</button></form>`;
  const controls = canAct
    ? html`<p>${q.paused ? post('resume', m.board.action.resume) : post('pause', m.board.action.pause)}
      ${q.counts.failed > 0 ? html`<form class="inline" method="post" action="/admin/queues/${q.name}/retry-failed?from=board&${back}">${csrf}<button type="submit">${m.retryFailed}</button></form>` : ''}</p>
      <form method="post" action="/admin/queues/${q.name}/clean?${back}">${csrf}<fieldset><legend>${m.board.clean.legend}</legend>
      <select name="state" aria-label="${m.board.clean.legend}">${CLEAN_STATES.map((s) => html`<option value="${s}">${m.board.clean.state[s]}</option>`)}</select>
      <label>${m.board.clean.olderThan} <input type="number" name="olderThanHours" value="24" min="${CLEAN_LIMITS.minHours}" max="${CLEAN_LIMITS.maxHours}" required></label>
      <button type="submit">${m.board.action.clean}</button></fieldset></form>`
    : html`<p class="muted">${m.board.readOnly}</p>`;
  const tabs = BOARD_STATES.map((s) =>
    s === state
      ? html`<strong aria-current="page">${m.board.state[s]} (${q.counts[s]})</strong>`
      : html`<a href="${boardHref(m, q.name, s)}">${m.board.state[s]} (${q.counts[s]})</a>`,
  );
  const head = canAct ? m.board.jobsHead : m.board.jobsHead.slice(0, -1);
  const cell = (i: number, content: unknown) => html`<td data-label="${head[i]}">${content}</td>`;
  const rows = view.jobs.map(
    (j) =>
      html`<tr>${cell(0, j.id === null ? m.board.hidden : html`<code>${j.id}</code>`)}${cell(1, j.name ?? m.board.hidden)}
      ${cell(2, m.board.attempts(j.attemptsMade, j.attempts))}${cell(3, when(j.addedAt, m, true))}
      ${cell(4, j.dueAt ? m.board.due(when(j.dueAt, m, true)) : j.processedAt ? when(j.processedAt, m, true) : m.none)}
      ${cell(5, j.finishedAt ? when(j.finishedAt, m, true) : m.none)}${cell(6, j.failedReason ?? m.none)}
      ${canAct ? cell(7, j.id === null ? '' : ACTIONS_IN[j.state].map((a) => post(`jobs/${encodeURIComponent(j.id!)}/${a}`, m.board.action[a]))) : ''}</tr>`,
  );
  const paging = html`<p>${page > 1 ? html`<a href="${boardHref(m, q.name, state, page - 1)}">${m.board.newer}</a> ` : ''}${m.board.page(page, pages)}${page < pages ? html` <a href="${boardHref(m, q.name, state, page + 1)}">${m.board.older}</a>` : ''}</p>`;
  return doc(
    m,
    `${m.board.title}: ${q.name}`,
    html`${signedInHeader(m, `${m.board.title}: ${q.name}`, session, `?state=${state}&page=${page}&lang=${m.other.lang}`)}
    ${notice ? html`<p role="status">${notice}</p>` : ''}
    <p><a href="/admin/queues?lang=${m.lang}">← ${m.board.title}</a> · <a href="/admin?lang=${m.lang}">${m.board.back}</a></p>
    <h2>${q.name} <span class="${q.paused ? 'bad' : 'ok'}">(${q.paused ? m.board.paused : m.board.running})</span></h2>
    ${controls}
    <nav><p>${tabs.map((t, i) => html`${i > 0 ? ' · ' : ''}${t}`)}</p></nav>
    <h3>${m.board.state[state]}</h3>
    ${view.jobs.length === 0 ? html`<p>${m.board.empty}</p>` : html`<div class="cards"><table><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr>${rows}</table></div>`}
    ${pages > 1 ? paging : ''}`,
  );
}

/** One request's timeline (linked from the status page): its state and deadline, and each step it went through. */
export function requestPage(m: OperatorMessages, view: RequestTimeline | null, session: Session): string {
  const t = m.timeline;
  if (!view)
    return doc(
      m,
      t.title,
      html`${signedInHeader(m, t.title, session, `?lang=${m.other.lang}`)}<p>${t.notFound}</p><p><a href="/admin?lang=${m.lang}">${m.board.back}</a></p>`,
    );
  const facts: [string, unknown][] = [
    [t.kind, view.kind],
    [t.status, view.status],
    [t.received, when(view.receivedAt, m)],
    [t.due, html`${when(view.dueAt, m)}${view.flag ? html` <span class="bad">(${m.flag[view.flag]})</span>` : ''}`],
    [t.completed, view.completedAt ? when(view.completedAt, m) : m.none],
    [t.stuck, view.stuck ?? m.none],
  ];
  const steps = view.steps.map(
    (s) =>
      html`<tr><td>${when(s.at, m, true)}</td><td><code>${s.kind}</code></td><td>${s.to ?? ''}</td><td>${s.actor ? html`<code>${s.actor}</code>` : ''}</td></tr>`,
  );
  return doc(
    m,
    `${t.title}: ${view.id}`,
    html`${signedInHeader(m, t.title, session, `?lang=${m.other.lang}`)}
    <p><a href="/admin?lang=${m.lang}">${m.board.back}</a></p>
    <h2><code>${view.id}</code></h2>
    <div class="wide"><table><tbody>${facts.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}</tbody></table></div>
    <h2>${t.steps}</h2>
    ${steps.length ? html`<div class="wide"><table><thead><tr>${t.stepsHead.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${steps}</tbody></table></div>` : html`<p>${m.none}</p>`}`,
  );
}

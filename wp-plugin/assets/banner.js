/* Privacy Bridge cookie banner: choices, script gating, withdrawal, signals. No dependencies. */
(function (w, d) {
  var B = w.pbBanner;
  if (!B) return;
  var C = B.config, CATS = ['preferences', 'statistics', 'marketing'];
  var gpc = navigator.globalPrivacyControl === true;
  var $ = function (s) { return d.querySelector(s); };
  var all = function (s) { return [].slice.call(d.querySelectorAll(s)); };
  // A theme without wp_body_open and wp_footer prints no markup: the scripts still follow the stored choice.
  var banner = $('#pb-banner') || d.createElement('section'), dlg = $('#pb-dialog') || d.createElement('dialog'), opener = null, listeners = [];

  function allowed(c) {
    return c === 'necessary' || (!!B.state && !!B.state[c] && !(c === 'marketing' && C.sensitive));
  }

  /** Marked scripts of allowed categories, once each, in page order (external ones keep their order). */
  function run() {
    all('script[type="text/plain"][data-category]:not([data-pb-done])').forEach(function (old) {
      if (!allowed(old.getAttribute('data-category'))) return;
      var s = d.createElement('script');
      [].forEach.call(old.attributes, function (a) {
        if (a.name !== 'type' && a.name !== 'data-category' && a.name !== 'data-type') s.setAttribute(a.name, a.value);
      });
      if (old.getAttribute('data-type')) s.type = old.getAttribute('data-type');
      if (old.src) s.async = false; else s.text = old.text;
      old.setAttribute('data-pb-done', '');
      old.parentNode.insertBefore(s, old.nextSibling);
    });
  }

  function forget(c) {
    var pats = (C.cookies && C.cookies[c]) || [], host = location.hostname.split('.');
    d.cookie.split('; ').forEach(function (kv) {
      var name = kv.split('=')[0];
      var hit = pats.some(function (p) { return p.slice(-1) === '*' ? name.indexOf(p.slice(0, -1)) === 0 : name === p; });
      if (!hit) return;
      for (var i = 0; i < host.length; i++) {
        var dom = i ? '; domain=.' + host.slice(i - 1).join('.') : '';
        d.cookie = name + '=; path=/; max-age=0' + dom;
      }
    });
  }

  function cookie(name, value, days) {
    d.cookie = name + '=' + value + '; path=/; max-age=' + days * 86400 + '; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
  }

  /** Tells everyone: Consent Mode, WP Consent API, this page's marked scripts, listeners. */
  function apply(prev) {
    var s = B.state;
    w.gtag('consent', 'update', B.mode(s));
    if (typeof w.wp_set_consent === 'function') {
      w.wp_set_consent('functional', 'allow');
      CATS.forEach(function (c) { w.wp_set_consent(c, s[c] ? 'allow' : 'deny'); });
      w.wp_set_consent('statistics-anonymous', s.statistics ? 'allow' : 'deny');
    }
    CATS.forEach(function (c) { if (prev && prev[c] && !s[c]) forget(c); });
    run();
    var detail = { preferences: s.preferences, statistics: s.statistics, marketing: s.marketing };
    listeners.forEach(function (f) { f(detail); });
    d.dispatchEvent(new CustomEvent('privacy-bridge:consent', { detail: detail }));
  }

  function decide(granted, overridesGpc) {
    var prev = B.state, s = { t: Math.floor(Date.now() / 1000) };
    CATS.forEach(function (c) { s[c] = granted.indexOf(c) >= 0; });
    if (!/(?:^|; )pb_vid=/.test(d.cookie)) {
      var r = new Uint8Array(16);
      crypto.getRandomValues(r);
      cookie('pb_vid', btoa(String.fromCharCode.apply(null, r)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 365);
    }
    cookie('pb_consent', C.rev + '.' + CATS.map(function (c) { return s[c] ? 1 : 0; }).join('') + '.' + s.t, 182);
    B.state = s;
    d.documentElement.setAttribute('data-pb-state', 'set');
    d.documentElement.style.scrollPaddingBottom = '';
    apply(prev);
    var body = { granted: granted, revision: C.rev, locale: C.lang, gpc: gpc };
    if (overridesGpc) body.overridesGpc = true;
    fetch(C.rest, { method: 'POST', credentials: 'same-origin', keepalive: true, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j) { localStorage.setItem('pb_receipt', JSON.stringify(j)); receiptButton(); } })
      .catch(function () {});
  }

  function receiptButton() {
    var b = $('[data-pb="receipt"]');
    if (b) b.hidden = !localStorage.getItem('pb_receipt');
  }

  function open() {
    opener = d.activeElement;
    CATS.forEach(function (c) { $('#pb-c-' + c).checked = !!B.state && !!B.state[c]; });
    receiptButton();
    dlg.showModal();
  }

  var actions = {
    accept: function () { decide(gpc ? ['preferences'] : CATS.slice()); },
    reject: function () { decide([]); },
    choose: open,
    open: open,
    save: function () {
      var g = CATS.filter(function (c) { return $('#pb-c-' + c).checked; });
      decide(g, gpc && (g.indexOf('statistics') >= 0 || g.indexOf('marketing') >= 0));
    },
    receipt: function () {
      var a = d.createElement('a');
      a.href = URL.createObjectURL(new Blob([localStorage.getItem('pb_receipt') || '{}'], { type: 'application/json' }));
      a.download = 'consent-receipt.json';
      a.click();
      return true;
    },
    close: function () {}
  };

  d.addEventListener('click', function (e) {
    var t = e.target.closest('button[data-pb],a[href$="#cookie-settings"]');
    if (!t) return;
    var act = t.getAttribute('data-pb') || 'open';
    if (!actions[act]) return;
    e.preventDefault();
    if (actions[act]() === true) return;
    if (act !== 'choose' && act !== 'open' && dlg.open) dlg.close();
  });

  // The dialog keeps focus inside (Tab wraps), Escape closes it (native), focus goes back to the opener.
  dlg.addEventListener('keydown', function (e) {
    if (e.key !== 'Tab') return;
    var f = all('#pb-dialog input:not([disabled]),#pb-dialog button:not([hidden])');
    var first = f[0], last = f[f.length - 1];
    if (e.shiftKey && d.activeElement === first) { last.focus(); e.preventDefault(); }
    else if (!e.shiftKey && d.activeElement === last) { first.focus(); e.preventDefault(); }
  });
  dlg.addEventListener('close', function () {
    var back = opener && d.contains(opener) && opener.offsetParent !== null ? opener : $('#pb-reopen');
    if (back) back.focus();
  });

  if (gpc) all('.pb-gpc').forEach(function (p) { p.hidden = false; });
  // Focus not obscured (WCAG 2.4.11): the page scrolls what gets focus clear of the banner.
  if (!B.state) d.documentElement.style.scrollPaddingBottom = banner.offsetHeight + 'px';
  w.PrivacyBridgeConsent = { has: allowed, open: open, on: function (f) { listeners.push(f); } };
  if (typeof CustomEvent === 'function') d.dispatchEvent(new CustomEvent('wp_consent_type_defined'));
  if (B.state) apply(null);
})(window, document);

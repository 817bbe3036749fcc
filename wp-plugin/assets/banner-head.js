/* Privacy Bridge banner, inline in <head> before any tag: Consent Mode v2 default, the stored choice. */
(function (w, d) {
  var C = JSON.parse(d.getElementById('pb-config').textContent);
  var m = /(?:^|; )pb_consent=(\d+)\.([01]{3})\.(\d+)/.exec(d.cookie);
  var s = m && +m[1] >= C.rev ? { preferences: m[2][0] === '1', statistics: m[2][1] === '1', marketing: m[2][2] === '1', t: +m[3] } : null;
  var g = function (v) { return v ? 'granted' : 'denied'; };
  w.dataLayer = w.dataLayer || [];
  w.gtag = w.gtag || function () { w.dataLayer.push(arguments); };
  w.pbBanner = {
    config: C, state: s,
    // marketing → ad_*, statistics → analytics_storage, preferences → functionality/personalization_storage
    mode: function (s) {
      var k = !!s.marketing && !C.sensitive;
      return { ad_storage: g(k), ad_user_data: g(k), ad_personalization: g(k), analytics_storage: g(s.statistics), functionality_storage: g(s.preferences), personalization_storage: g(s.preferences) };
    }
  };
  w.gtag('consent', 'default', { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted', wait_for_update: 500 });
  w.gtag('set', 'ads_data_redaction', true);
  if (s) w.gtag('consent', 'update', w.pbBanner.mode(s));
  w.wp_consent_type = 'optin';
  d.documentElement.setAttribute('data-pb-state', s ? 'set' : 'ask');
})(window, document);

<?php
/**
 * Test only: a minimal stand-in for the WP Consent API plugin (WordPress/wp-consent-level-api 2.0.1),
 * implementing its documented functions, used because that plugin cannot be installed here (no
 * network). Never shipped. PHP: wp_get_consent_type(), wp_has_consent(), wp_set_consent(),
 * consent_api_registered(). JS: wp_set_consent(category, 'allow'|'deny') writes `wp_consent_<category>`
 * and fires `wp_listen_for_consent_change` with {category: value} only when the value changed;
 * wp_has_consent(category).
 */
if ( function_exists( 'wp_has_consent' ) ) {
	return; // the real plugin is active
}
pb_test_consent_api_functions();

/** Declared inside a function: PHP would hoist top-level declarations above the check. */
function pb_test_consent_api_functions() {
function wp_get_consent_type() {
	return apply_filters( 'wp_get_consent_type', '' );
}
function wp_has_consent( $category, $requested_by = null ) {
	$type = wp_get_consent_type();
	if ( '' === $type || false === $type ) {
		return true;
	}
	$cookie = isset( $_COOKIE[ 'wp_consent_' . $category ] ) ? $_COOKIE[ 'wp_consent_' . $category ] : false;
	if ( 'optout' === $type && false === $cookie ) {
		return true;
	}
	return apply_filters( 'wp_has_consent', 'allow' === $cookie, $category, $requested_by );
}
function wp_set_consent( $category, $value ) {
	setcookie( 'wp_consent_' . $category, $value, time() + 30 * DAY_IN_SECONDS, '/' );
}
function consent_api_registered( $plugin ) {
	return apply_filters( "wp_consent_api_registered_{$plugin}", false );
}
}
add_action(
	'wp_head',
	static function () {
		echo "<script id=\"pb-test-consent-api\">(function(w,d){w.__wpConsentEvents=[];w.wp_has_consent=function(c){var m=new RegExp('(?:^|; )wp_consent_'+c+'=([a-z]+)').exec(d.cookie);return !!m&&m[1]==='allow';};w.wp_set_consent=function(c,v){if(v!=='allow'&&v!=='deny')return;var m=new RegExp('(?:^|; )wp_consent_'+c+'=([a-z]+)').exec(d.cookie);var old=m&&m[1];d.cookie='wp_consent_'+c+'='+v+'; path=/; max-age='+30*86400;if(old!==v){var detail={};detail[c]=v;w.__wpConsentEvents.push(detail);d.dispatchEvent(new CustomEvent('wp_listen_for_consent_change',{detail:detail}));}};})(window,document);</script>\n";
	},
	0
);

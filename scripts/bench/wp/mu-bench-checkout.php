<?php
/**
 * Bench only (`npm run bench -- checkout` links it into mu-plugins and removes it after). Two things:
 * - `X-Bench-Plugin: off` runs that one request without Privacy Bridge, as when it is inactive (active_plugins
 *   is read after must-use plugins load), so on and off can alternate order by order without activating anything;
 * - every REST answer carries `Server-Timing: app;dur=<ms>`, PHP's own time from the request's start to the
 *   answer (no nginx, no client, no loopback), which is what "server time at checkout" means.
 *
 * @package PrivacyBridge
 */

if ( isset( $_SERVER['HTTP_X_BENCH_PLUGIN'] ) && 'off' === $_SERVER['HTTP_X_BENCH_PLUGIN'] ) {
	add_filter(
		'option_active_plugins',
		static function ( $plugins ) {
			return array_values( array_diff( (array) $plugins, array( 'privacy-bridge/privacy-bridge.php' ) ) );
		}
	);
}

add_filter(
	'rest_post_dispatch',
	static function ( $response ) {
		if ( $response instanceof WP_REST_Response ) {
			$response->header( 'Server-Timing', sprintf( 'app;dur=%.2f', ( microtime( true ) - $_SERVER['REQUEST_TIME_FLOAT'] ) * 1000 ) );
		}
		return $response;
	},
	PHP_INT_MAX
);

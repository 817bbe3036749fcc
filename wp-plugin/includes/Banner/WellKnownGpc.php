<?php
/**
 * /.well-known/gpc.json (GPC spec, RFC 8615): this site honours Global Privacy Control.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

/**
 * Served by WordPress when the web server passes the path through (the usual `try_files … /index.php`);
 * WordPress must answer at the host's root for the file to count.
 */
final class WellKnownGpc {

	/** Hooked early on `init`. */
	public static function maybe_serve(): void {
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? (string) wp_parse_url( (string) $_SERVER['REQUEST_URI'], PHP_URL_PATH ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared with a literal.
		if ( '/.well-known/gpc.json' !== $uri ) {
			return;
		}
		$settings = BannerSettings::get();
		status_header( 200 );
		header( 'Content-Type: application/json' );
		header( 'Cache-Control: public, max-age=86400' );
		header( 'Access-Control-Allow-Origin: *' );
		echo wp_json_encode(
			array(
				'gpc'        => true,
				'lastUpdate' => (string) $settings['gpc_since'],
			)
		);
		exit;
	}
}

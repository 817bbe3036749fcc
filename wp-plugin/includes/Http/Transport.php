<?php
/**
 * Whether a URL may carry personal data: over TLS, or plain http that stays on this machine.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Http;

defined( 'ABSPATH' ) || exit;

/**
 * The service's rule for its own URLs, kept here for the plugin's service URL: https, or http to a
 * loopback host, unless the site allows plain http by name (PRIVACY_BRIDGE_ALLOW_INSECURE_HTTP in
 * wp-config.php) — consents, requests and exports cross this link.
 */
final class Transport {

	/**
	 * @param string $url            URL.
	 * @param bool   $allow_insecure Plain http to another host allowed by the site.
	 */
	public static function is_allowed( string $url, bool $allow_insecure ): bool {
		// parse_url, not wp_parse_url: this class is tested without WordPress, and PHP 7.4+ parses these URLs alike.
		$scheme = strtolower( (string) parse_url( $url, PHP_URL_SCHEME ) );
		if ( 'https' === $scheme ) {
			return true;
		}
		if ( 'http' !== $scheme ) {
			return false;
		}
		$host = strtolower( trim( (string) parse_url( $url, PHP_URL_HOST ), '[]' ) );
		return $allow_insecure || 'localhost' === $host || '::1' === $host || 1 === preg_match( '/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/', $host );
	}

	/** Whether wp-config.php allows plain http to a host that is not loopback. */
	public static function insecure_allowed(): bool {
		return defined( 'PRIVACY_BRIDGE_ALLOW_INSECURE_HTTP' ) && true === PRIVACY_BRIDGE_ALLOW_INSECURE_HTTP;
	}
}

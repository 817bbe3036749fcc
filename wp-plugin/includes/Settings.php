<?php
/**
 * The plugin's configuration: the service URL and the transport keys. No personal data.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge;

defined( 'ABSPATH' ) || exit;

/**
 * Read from the `privacy_bridge_settings` option, or from constants in wp-config.php, which win:
 * `PRIVACY_BRIDGE_SERVICE_URL` and `PRIVACY_BRIDGE_SIGNING_KEYS` (`id:secret,id:secret` — the first
 * signs, all verify, as the service's PLUGIN_SIGNING_KEYS).
 */
final class Settings {

	const OPTION = 'privacy_bridge_settings';

	/** @return array{service_url: string, key_id: string, secret: string, previous_key_id: string, previous_secret: string} */
	public static function raw(): array {
		$stored = get_option( self::OPTION, array() );
		$stored = is_array( $stored ) ? $stored : array();
		return array(
			'service_url'     => (string) ( $stored['service_url'] ?? '' ),
			'key_id'          => (string) ( $stored['key_id'] ?? '' ),
			'secret'          => (string) ( $stored['secret'] ?? '' ),
			'previous_key_id' => (string) ( $stored['previous_key_id'] ?? '' ),
			'previous_secret' => (string) ( $stored['previous_secret'] ?? '' ),
		);
	}

	/** The service's base URL without a trailing slash, or '' when not configured or refused (plain http off this machine). */
	public static function service_url(): string {
		$url = defined( 'PRIVACY_BRIDGE_SERVICE_URL' ) ? (string) PRIVACY_BRIDGE_SERVICE_URL : self::raw()['service_url'];
		return Http\Transport::is_allowed( $url, Http\Transport::insecure_allowed() ) ? untrailingslashit( $url ) : '';
	}

	/**
	 * Transport keys, signing key first.
	 *
	 * @return array<string, string> key id => secret
	 */
	public static function keys(): array {
		$keys = array();
		if ( defined( 'PRIVACY_BRIDGE_SIGNING_KEYS' ) ) {
			foreach ( explode( ',', (string) PRIVACY_BRIDGE_SIGNING_KEYS ) as $pair ) {
				$at = strpos( $pair, ':' );
				if ( false !== $at ) {
					$keys[ trim( substr( $pair, 0, $at ) ) ] = trim( substr( $pair, $at + 1 ) );
				}
			}
			return array_filter( $keys );
		}
		$raw = self::raw();
		if ( '' !== $raw['key_id'] && '' !== $raw['secret'] ) {
			$keys[ $raw['key_id'] ] = $raw['secret'];
		}
		if ( '' !== $raw['previous_key_id'] && '' !== $raw['previous_secret'] && ! isset( $keys[ $raw['previous_key_id'] ] ) ) {
			$keys[ $raw['previous_key_id'] ] = $raw['previous_secret'];
		}
		return $keys;
	}

	/** Whether the site is connected: a URL and a signing key. */
	public static function is_configured(): bool {
		return '' !== self::service_url() && array() !== self::keys();
	}

	/** Whether the values come from wp-config.php (the settings form then shows them read-only). */
	public static function from_constants(): bool {
		return defined( 'PRIVACY_BRIDGE_SERVICE_URL' ) || defined( 'PRIVACY_BRIDGE_SIGNING_KEYS' );
	}
}

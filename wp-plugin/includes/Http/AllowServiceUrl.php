<?php
/**
 * Lets WordPress's SSRF guard through for exactly the configured service URL.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Http;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Settings;

/**
 * wp_safe_remote_request() (used by our client and by WooCommerce's webhook deliveries) refuses
 * loopback and private addresses and ports other than 80, 443 and 8080. The service often lives on
 * such an address: allow its host for its port only, and nothing else.
 */
final class AllowServiceUrl {

	/** Hooked by Plugin::boot(). */
	public function register(): void {
		add_filter( 'http_request_host_is_external', array( $this, 'host_is_external' ), 10, 3 );
		add_filter( 'http_allowed_safe_ports', array( $this, 'allowed_ports' ), 10, 3 );
	}

	/**
	 * @param bool   $external Whether WordPress already treats it as external.
	 * @param string $host     Host of the URL being validated.
	 * @param string $url      The URL.
	 */
	public function host_is_external( $external, $host, $url = '' ): bool {
		return (bool) $external || $this->is_service( (string) $url );
	}

	/**
	 * @param int[]  $ports Allowed ports.
	 * @param string $host  Host.
	 * @param string $url   URL.
	 * @return int[]
	 */
	public function allowed_ports( $ports, $host = '', $url = '' ): array {
		$ports = is_array( $ports ) ? $ports : array();
		if ( $this->is_service( (string) $url ) ) {
			$ports[] = self::port_of( Settings::service_url() );
		}
		return $ports;
	}

	/**
	 * Same scheme, host and port as the configured service URL.
	 *
	 * @param string $url Candidate URL.
	 */
	public function is_service( string $url ): bool {
		$service = Settings::service_url();
		if ( '' === $service || '' === $url ) {
			return false;
		}
		$a = wp_parse_url( $service );
		$b = wp_parse_url( $url );
		if ( ! is_array( $a ) || ! is_array( $b ) || empty( $a['host'] ) || empty( $b['host'] ) ) {
			return false;
		}
		return strtolower( (string) ( $a['scheme'] ?? '' ) ) === strtolower( (string) ( $b['scheme'] ?? '' ) )
			&& strtolower( $a['host'] ) === strtolower( $b['host'] )
			&& self::port_of( $service ) === self::port_of( $url );
	}

	/**
	 * @param string $url URL.
	 */
	private static function port_of( string $url ): int {
		$parts = wp_parse_url( $url );
		if ( ! empty( $parts['port'] ) ) {
			return (int) $parts['port'];
		}
		return 'https' === ( $parts['scheme'] ?? '' ) ? 443 : 80;
	}
}

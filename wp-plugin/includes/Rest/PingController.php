<?php
/**
 * GET /privacy-bridge/v1/ping — the service checks the connection and our versions.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Settings;
use WP_REST_Response;

/**
 * Signed like every other route; answers versions only.
 */
final class PingController extends SignedController {

	/** Hooked to `rest_api_init`. */
	public function register_routes(): void {
		$this->signed_route( '/ping', array( $this, 'ping' ), array( 'type' => 'object', 'properties' => array() ), 'GET' );
	}

	/** @return WP_REST_Response */
	public function ping(): WP_REST_Response {
		return new WP_REST_Response(
			array(
				'plugin'      => PRIVACY_BRIDGE_VERSION,
				'wordpress'   => get_bloginfo( 'version' ),
				'woocommerce' => defined( 'WC_VERSION' ) ? WC_VERSION : null,
				// Where WordPress lets webhook deliveries go on a local or private address: the configured
				// service's origin, when WordPress's own URL check accepts it (woo connect compares it).
				'webhooks_allowed_to' => self::allowed_origin(),
			),
			200
		);
	}

	/** The configured service URL's scheme, host and port, or null when none is set or WordPress refuses it. */
	private static function allowed_origin(): ?string {
		$service = Settings::service_url();
		if ( '' === $service || false === wp_http_validate_url( rtrim( $service, '/' ) . '/webhooks/woocommerce' ) ) {
			return null;
		}
		$parts = wp_parse_url( $service );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return null;
		}
		$port = isset( $parts['port'] ) ? (int) $parts['port'] : ( 'https' === $parts['scheme'] ? 443 : 80 );
		return strtolower( $parts['scheme'] . '://' . $parts['host'] ) . ':' . $port;
	}
}

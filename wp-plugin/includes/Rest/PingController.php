<?php
/**
 * GET /privacy-bridge/v1/ping — the service checks the connection and our versions.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

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
			),
			200
		);
	}
}

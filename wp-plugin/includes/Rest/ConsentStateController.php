<?php
/**
 * The service tells the site a person's current consent, per purpose.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use WP_REST_Request;
use WP_REST_Response;

/**
 * POST /privacy-bridge/v1/consent-state. Kept on the account (user meta `privacy_bridge_consent`:
 * purpose => granted) so the site can honour it without asking the service on every page; a guest
 * has no account, and the answer says so.
 */
final class ConsentStateController extends SignedController {

	const META = 'privacy_bridge_consent';

	/** Hooked to `rest_api_init`. */
	public function register_routes(): void {
		$this->signed_route( '/consent-state', array( $this, 'update_consent_state' ), RouteSchemas::get( 'consent-state-push' ) );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 */
	public function update_consent_state( $request ): WP_REST_Response {
		$user = isset( $request['wpUserId'] ) ? get_user_by( 'id', (int) $request['wpUserId'] ) : false;
		if ( ! $user && isset( $request['email'] ) ) {
			$user = get_user_by( 'email', (string) $request['email'] );
		}
		if ( ! $user ) {
			return new WP_REST_Response( array( 'applied' => false, 'reason' => 'no-account' ), 200 );
		}
		$state = get_user_meta( $user->ID, self::META, true );
		$state = is_array( $state ) ? $state : array();
		foreach ( (array) $request['purposes'] as $purpose ) {
			$state[ (string) $purpose['purpose'] ] = 'granted' === $purpose['decision'];
		}
		update_user_meta( $user->ID, self::META, $state );
		return new WP_REST_Response( array( 'applied' => true, 'userId' => $user->ID ), 200 );
	}
}

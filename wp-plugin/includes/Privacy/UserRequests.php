<?php
/**
 * What the plugin records on WordPress's own privacy requests (`user_request` posts).
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Privacy;

defined( 'ABSPATH' ) || exit;

use WP_User_Request;

/**
 * States, deadlines and a timeline of state changes — codes and times only. The export link is a
 * capability URL that expires at the service; the person's address stays where WordPress keeps it.
 */
final class UserRequests {

	const META_STATE      = '_privacy_bridge_state';
	const META_DEADLINE   = '_privacy_bridge_deadline';
	const META_TIMELINE   = '_privacy_bridge_timeline';
	const META_EXPORT_URL = '_privacy_bridge_export_url';
	const META_EXPORT_EXP = '_privacy_bridge_export_expires_at';
	const META_RECEIPT    = '_privacy_bridge_receipt';
	const META_SERVICE_ID = '_privacy_bridge_request_id';
	/** The WordPress user id of the admin who added the request in wp-admin (an id, never a name or e-mail). */
	const META_STARTED_BY = '_privacy_bridge_started_by';

	/**
	 * @param int $id Request id.
	 */
	public static function find( int $id ): ?WP_User_Request {
		$request = wp_get_user_request( $id );
		return $request instanceof WP_User_Request ? $request : null;
	}

	/**
	 * @param int         $id       Request id.
	 * @param string      $state    State code.
	 * @param string|null $deadline ISO date-time.
	 */
	public static function set_state( int $id, string $state, ?string $deadline = null ): void {
		update_post_meta( $id, self::META_STATE, $state );
		if ( null !== $deadline ) {
			update_post_meta( $id, self::META_DEADLINE, $deadline );
		}
		$timeline   = get_post_meta( $id, self::META_TIMELINE, true );
		$timeline   = is_array( $timeline ) ? $timeline : array();
		$timeline[] = array( 'at' => time(), 'state' => $state );
		update_post_meta( $id, self::META_TIMELINE, array_slice( $timeline, -50 ) );
	}

	/**
	 * @param int $id Request id.
	 * @return array{state: string, deadline: string, timeline: array<int, array{at: int, state: string}>, export_url: string, receipt: mixed}
	 */
	public static function get( int $id ): array {
		$timeline = get_post_meta( $id, self::META_TIMELINE, true );
		return array(
			'state'      => (string) get_post_meta( $id, self::META_STATE, true ),
			'deadline'   => (string) get_post_meta( $id, self::META_DEADLINE, true ),
			'timeline'   => is_array( $timeline ) ? $timeline : array(),
			'export_url' => (string) get_post_meta( $id, self::META_EXPORT_URL, true ),
			'receipt'    => get_post_meta( $id, self::META_RECEIPT, true ),
		);
	}

	/**
	 * Attaches an erasure receipt (one per pass: a hold that ends brings a later pass and receipt).
	 *
	 * @param int    $id          Request id.
	 * @param int    $pass        Erasure pass.
	 * @param string $url         Receipt link (a capability URL at the service).
	 * @param string $certificate The receipt's hash, as ledgered.
	 */
	public static function add_receipt( int $id, int $pass, string $url, string $certificate ): void {
		$receipts = get_post_meta( $id, self::META_RECEIPT, true );
		$receipts = is_array( $receipts ) && isset( $receipts['passes'] ) ? $receipts : array( 'passes' => array() );
		$receipts['passes'][ $pass ] = array( 'pass' => $pass, 'url' => $url, 'certificate' => $certificate, 'at' => time() );
		$receipts['url']             = $url;
		$receipts['certificate']     = $certificate;
		update_post_meta( $id, self::META_RECEIPT, $receipts );
	}

	/**
	 * Marks the request completed the way WordPress's own tools do.
	 *
	 * @param int $id Request id.
	 */
	public static function complete( int $id ): void {
		if ( 'request-completed' === get_post_status( $id ) ) {
			return;
		}
		update_post_meta( $id, '_wp_user_request_completed_timestamp', time() );
		wp_update_post( array( 'ID' => $id, 'post_status' => 'request-completed' ) );
	}

	/**
	 * @param int $id Request id.
	 */
	public static function fail( int $id ): void {
		wp_update_post( array( 'ID' => $id, 'post_status' => 'request-failed' ) );
	}
}

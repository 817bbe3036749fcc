<?php
/**
 * The service's data-subject request calls: the bulk read and the erase command (shared/src/contracts/dsr.ts).
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Woo\BulkReader;
use PrivacyBridge\Woo\OrderEraser;
use PrivacyBridge\Woo\ResidueProbe;
use PrivacyBridge\Woo\SubjectEraser;
use PrivacyBridge\Woo\Woo;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

/**
 * POST /privacy-bridge/v1/dsr/bulk-read (BulkReadQuery → BulkReadPage), /dsr/erase (EraseCommand →
 * EraseCommandResult) and /dsr/residue (ResidueProbeQuery → ResidueProbeResult). The service decides; this executes and answers item by item. The erase command
 * is idempotent, and a repeat of its message (a retry after the answer was lost) gets the first answer.
 */
final class DsrController extends SignedController {

	const RESULT_TRANSIENT = 'privacy_bridge_erase_';

	/** Hooked to `rest_api_init`. */
	public function register_routes(): void {
		$this->signed_route( '/dsr/bulk-read', array( $this, 'bulk_read' ), RouteSchemas::get( 'dsr-bulk-read-query' ) );
		$this->signed_route( '/dsr/erase', array( $this, 'erase' ), RouteSchemas::get( 'dsr-erase-command' ) );
		$this->answer_repeats( '/dsr/erase' );
		$this->signed_route( '/dsr/residue', array( $this, 'residue' ), RouteSchemas::get( 'dsr-residue-query' ) );
	}

	/**
	 * The residue check's SQL search (dsr-residue-query → dsr-residue-result): rows, never values.
	 *
	 * @param WP_REST_Request $request Request, validated against dsr-residue-query.
	 * @return WP_REST_Response
	 */
	public function residue( $request ) {
		$terms = array();
		foreach ( (array) $request['terms'] as $term ) {
			$terms[] = array( 'kind' => (string) ( $term['kind'] ?? '' ), 'value' => (string) ( $term['value'] ?? '' ) );
		}
		$keep = array();
		foreach ( (array) ( $request['keep'] ?? array() ) as $k ) {
			$keep[] = array( 'orderId' => (int) $k['orderId'], 'kinds' => array_map( 'strval', (array) $k['kinds'] ), 'notes' => (bool) $k['notes'] );
		}
		return new WP_REST_Response( ( new ResidueProbe() )->search( $terms, $keep ), 200 );
	}

	/**
	 * @param WP_REST_Request $request Request, validated against dsr-bulk-read-query.
	 * @return WP_REST_Response|WP_Error
	 */
	public function bulk_read( $request ) {
		if ( ! Woo::active() ) {
			// An empty page would read as "no orders": refuse instead, so the service's collection stops visibly.
			return Errors::error( Errors::WOOCOMMERCE_INACTIVE );
		}
		$after = isset( $request['afterId'] ) ? absint( $request['afterId'] ) : null;
		$page  = ( new BulkReader() )->read( (string) $request['email'], (int) $request['page'], (int) $request['perPage'], $after );
		return new WP_REST_Response( $page, 200 );
	}

	/**
	 * @param WP_REST_Request $request Request, validated against dsr-erase-command.
	 * @return WP_REST_Response|WP_Error
	 */
	public function erase( $request ) {
		$missing = RouteSchemas::missing_nullable( RouteSchemas::get( 'dsr-erase-command' ), $request );
		if ( null !== $missing ) {
			return $missing;
		}
		// The first answer belongs to this exact message (id and body): one request's pass is sent in
		// chunks of orders, and a chunk must never be answered with another chunk's result.
		$slot = self::RESULT_TRANSIENT . md5( (string) $request->get_header( 'x-pb-message-id' ) . '/' . hash( 'sha256', (string) $request->get_body() ) );
		if ( self::is_repeat( $request ) ) {
			$first = get_transient( $slot );
			if ( is_array( $first ) ) {
				return new WP_REST_Response( $first, 200 );
			}
		}
		$orders = new OrderEraser();
		$others = new SubjectEraser();
		$result = array(
			'requestId'      => (string) $request['requestId'],
			'orders'         => array_map(
				static function ( $order ) use ( $orders ) {
					return $orders->erase( (array) $order );
				},
				(array) $request['orders']
			),
			'account'        => null,
			'reviewsDeleted' => null,
		);
		$others->delete_bookings( array_map( 'intval', (array) $request['deleteBookings'] ) );
		$others->delete_customer_lookup(
			array_map(
				static function ( $order ) {
					return (int) ( ( (array) $order )['id'] ?? 0 );
				},
				(array) $request['orders']
			)
		);
		if ( is_string( $request['reviewsByEmail'] ) ) {
			$result['reviewsDeleted'] = $others->delete_reviews( $request['reviewsByEmail'] );
		}
		if ( is_array( $request['deleteAccount'] ) ) {
			$result['account'] = $others->delete_account( (int) $request['deleteAccount']['customerId'] );
		}
		// Ids, field names and counts only: nothing personal is kept.
		set_transient( $slot, $result, DAY_IN_SECONDS );
		return new WP_REST_Response( $result, 200 );
	}
}

<?php
/**
 * The service reports on a WordPress privacy request: state changes, export ready, erasure receipt.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Verifier;
use PrivacyBridge\Privacy\Mailer;
use PrivacyBridge\Privacy\UserRequests;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

/**
 * POST /privacy-bridge/v1/requests/{id}/status · /export · /erasure-receipt — idempotent by message id.
 */
final class RequestsController extends SignedController {

	const REQUEST_NOT_FOUND = 'privacy_bridge_request_not_found';
	const WRONG_KIND        = 'privacy_bridge_request_wrong_kind';

	/**
	 * @var string
	 */
	protected $rest_base = 'requests';

	/**
	 * @var Mailer
	 */
	private $mailer;

	/**
	 * @param Verifier $verifier Verifier.
	 * @param Mailer   $mailer   Mailer.
	 */
	public function __construct( Verifier $verifier, Mailer $mailer ) {
		parent::__construct( $verifier );
		$this->mailer = $mailer;
	}

	/** Hooked to `rest_api_init`. */
	public function register_routes(): void {
		$base = '/' . $this->rest_base . '/(?P<id>\d+)';
		$this->signed_route( $base . '/status', array( $this, 'update_status' ), RouteSchemas::get( 'plugin-request-status' ) );
		$this->signed_route( $base . '/export', array( $this, 'export_ready' ), RouteSchemas::get( 'plugin-export-ready' ) );
		$this->signed_route( $base . '/erasure-receipt', array( $this, 'erasure_receipt' ), RouteSchemas::get( 'plugin-erasure-receipt' ) );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_status( $request ) {
		$user_request = UserRequests::find( (int) $request['id'] );
		if ( ! $user_request ) {
			return $this->not_found();
		}
		$state = (string) $request['state'];
		UserRequests::set_state( $user_request->ID, $state, isset( $request['deadline'] ) ? (string) $request['deadline'] : null );
		if ( 'completed' === $state ) {
			UserRequests::complete( $user_request->ID );
		} elseif ( 'rejected' === $state ) {
			UserRequests::fail( $user_request->ID );
		}
		return new WP_REST_Response( array( 'id' => $user_request->ID, 'state' => $state, 'status' => get_post_status( $user_request->ID ) ), 200 );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function export_ready( $request ) {
		$user_request = UserRequests::find( (int) $request['id'] );
		if ( ! $user_request ) {
			return $this->not_found();
		}
		if ( 'export_personal_data' !== $user_request->action_name ) {
			return new WP_Error( self::WRONG_KIND, __( 'This request is not an export request.', 'privacy-bridge' ), array( 'status' => 409 ) );
		}
		$expires_at = (int) strtotime( (string) $request['expiresAt'] );
		update_post_meta( $user_request->ID, UserRequests::META_EXPORT_URL, esc_url_raw( (string) $request['url'] ) );
		update_post_meta( $user_request->ID, UserRequests::META_EXPORT_EXP, $expires_at );
		UserRequests::set_state( $user_request->ID, 'export_ready' );
		$mailed = $this->mailer->export_ready( $user_request, (string) $request['url'], $expires_at, (string) ( $request['locale'] ?? '' ) );
		return new WP_REST_Response( array( 'id' => $user_request->ID, 'mailed' => $mailed ), 200 );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function erasure_receipt( $request ) {
		$user_request = UserRequests::find( (int) $request['id'] );
		if ( ! $user_request ) {
			return $this->not_found();
		}
		if ( 'remove_personal_data' !== $user_request->action_name ) {
			return new WP_Error( self::WRONG_KIND, __( 'This request is not an erasure request.', 'privacy-bridge' ), array( 'status' => 409 ) );
		}
		$items       = (array) $request['items'];
		$receipt_url = isset( $request['receiptUrl'] ) ? esc_url_raw( (string) $request['receiptUrl'] ) : '';
		update_post_meta( $user_request->ID, UserRequests::META_RECEIPT, array( 'url' => $receipt_url, 'items' => $items ) );
		UserRequests::set_state( $user_request->ID, 'receipt_ready' );
		$mailed = $this->mailer->erasure_receipt( $user_request, $items, $receipt_url, (string) ( $request['locale'] ?? '' ) );
		return new WP_REST_Response( array( 'id' => $user_request->ID, 'mailed' => $mailed ), 200 );
	}

	/** @return WP_Error */
	private function not_found(): WP_Error {
		return new WP_Error( self::REQUEST_NOT_FOUND, __( 'No such privacy request.', 'privacy-bridge' ), array( 'status' => 404 ) );
	}
}

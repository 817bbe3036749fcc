<?php
/**
 * The service's results for a person: the export link and the erasure receipt (shared/src/contracts/dsr.ts).
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
use WP_User_Request;

/**
 * POST /privacy-bridge/v1/dsr/export-ready (ExportReadyPush) and /dsr/erasure-receipt (ErasureReceiptPush):
 * attached to WordPress's `user_request` when the push names one, the request marked completed as
 * WordPress's own tools do, and the person e-mailed in their language. Idempotent by message id.
 */
final class DsrPushController extends SignedController {

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
		$this->signed_route( '/dsr/export-ready', array( $this, 'export_ready' ), RouteSchemas::get( 'dsr-export-ready' ) );
		$this->signed_route( '/dsr/erasure-receipt', array( $this, 'erasure_receipt' ), RouteSchemas::get( 'dsr-erasure-receipt' ) );
	}

	/**
	 * @param WP_REST_Request $request Request, validated against dsr-export-ready.
	 * @return WP_REST_Response|WP_Error
	 */
	public function export_ready( $request ) {
		$user_request = $this->user_request( $request, 'export_personal_data' );
		if ( is_wp_error( $user_request ) ) {
			return $user_request;
		}
		$url        = esc_url_raw( (string) $request['url'] );
		$expires_at = (int) strtotime( (string) $request['expiresAt'] );
		if ( $user_request ) {
			update_post_meta( $user_request->ID, UserRequests::META_SERVICE_ID, (string) $request['requestId'] );
			update_post_meta( $user_request->ID, UserRequests::META_EXPORT_URL, $url );
			update_post_meta( $user_request->ID, UserRequests::META_EXPORT_EXP, $expires_at );
			UserRequests::set_state( $user_request->ID, 'export_ready' );
		}
		$mailed = $this->mailer->export_ready( (string) $request['email'], $user_request, $url, $expires_at, (string) $request['locale'] );
		if ( $user_request && $mailed ) {
			UserRequests::complete( $user_request->ID ); // As WordPress does once it has e-mailed the export.
		}
		return $this->answer( $user_request, $mailed );
	}

	/**
	 * @param WP_REST_Request $request Request, validated against dsr-erasure-receipt.
	 * @return WP_REST_Response|WP_Error
	 */
	public function erasure_receipt( $request ) {
		$user_request = $this->user_request( $request, 'remove_personal_data' );
		if ( is_wp_error( $user_request ) ) {
			return $user_request;
		}
		$url         = esc_url_raw( (string) $request['url'] );
		$certificate = (string) $request['certificate'];
		if ( $user_request ) {
			update_post_meta( $user_request->ID, UserRequests::META_SERVICE_ID, (string) $request['requestId'] );
			UserRequests::add_receipt( $user_request->ID, (int) $request['pass'], $url, $certificate );
			UserRequests::set_state( $user_request->ID, 'receipt_ready' );
			UserRequests::complete( $user_request->ID );
		}
		$mailed = $this->mailer->erasure_receipt( (string) $request['email'], $user_request, $url, $certificate, (string) $request['locale'] );
		return $this->answer( $user_request, $mailed );
	}

	/**
	 * The WordPress request the push names, checked to be of the right kind and for the same person.
	 *
	 * @param WP_REST_Request $request Push.
	 * @param string          $action  export_personal_data | remove_personal_data.
	 * @return WP_User_Request|null|WP_Error Null when the push names none (a request the service received otherwise).
	 */
	private function user_request( WP_REST_Request $request, string $action ) {
		if ( ! isset( $request['wpRequestId'] ) ) {
			return null;
		}
		$user_request = UserRequests::find( (int) $request['wpRequestId'] );
		if ( ! $user_request ) {
			return Errors::error( Errors::REQUEST_NOT_FOUND );
		}
		if ( $action !== $user_request->action_name ) {
			return Errors::error( Errors::REQUEST_WRONG_KIND );
		}
		if ( 0 !== strcasecmp( $user_request->email, (string) $request['email'] ) ) {
			// Never mail a link to an address other than the one the request was confirmed from.
			return Errors::error( Errors::REQUEST_WRONG_PERSON );
		}
		return $user_request;
	}

	/**
	 * @param WP_User_Request|null $user_request Request.
	 * @param bool                 $mailed       Whether wp_mail() accepted the mail.
	 */
	private function answer( ?WP_User_Request $user_request, bool $mailed ): WP_REST_Response {
		return new WP_REST_Response(
			array(
				'wpRequestId' => $user_request ? $user_request->ID : null,
				'status'      => $user_request ? get_post_status( $user_request->ID ) : null,
				'mailed'      => $mailed,
			),
			200
		);
	}
}

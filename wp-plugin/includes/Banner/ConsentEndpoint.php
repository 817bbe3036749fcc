<?php
/**
 * POST privacy-bridge-banner/v1/consent (outside privacy-bridge/v1, whose routes are all signed): the banner's choice, recorded through the outbox.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Schemas;
use PrivacyBridge\Privacy\Consents;
use PrivacyBridge\Rest\Errors;
use WP_Error;
use WP_REST_Controller;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

/**
 * Public by design (anonymous visitors answer the banner; a page cache holds no nonce). What stops
 * abuse: the visitor id comes from the first-party `pb_vid` cookie (SameSite=Lax, so another site's
 * form cannot send it), the body must match the banner-consent contract (only the enumerated
 * categories), and each visitor and each network address may record a few choices per window.
 */
final class ConsentEndpoint extends WP_REST_Controller {

	const NS   = 'privacy-bridge-banner/v1';
	const BASE = 'consent';

	/** Choices per visitor and per address in one window. */
	const LIMIT  = 20;
	const WINDOW = 600;

	/**
	 * @var Consents
	 */
	private $consents;

	public function __construct( Consents $consents ) {
		$this->namespace = self::NS;
		$this->rest_base = self::BASE;
		$this->consents  = $consents;
	}

	public function register_routes(): void {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => '__return_true', // anonymous visitors; see the class comment
				),
			)
		);
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function create_item( $request ) {
		$body   = $request->get_json_params();
		$schema = Schemas::get( 'banner-consent' );
		// WordPress's validator reads a comma-separated string as a list; the contract wants a real one.
		if ( ! is_array( $body ) || ! is_array( $body['granted'] ?? null ) || null === $schema || is_wp_error( Schemas::validate( $body, $schema ) ) ) {
			return Errors::error( Errors::BANNER_CONSENT_INVALID );
		}
		$visitor = VisitorLink::visitor_id();
		if ( null === $visitor ) {
			return Errors::error( Errors::VISITOR_MISSING );
		}
		if ( ! RateLimit::allow( 'v' . $visitor, self::LIMIT, self::WINDOW ) || ! RateLimit::allow( 'a' . RateLimit::address(), self::LIMIT * 5, self::WINDOW ) ) {
			return Errors::error( Errors::RATE_LIMITED );
		}
		$settings = BannerSettings::get();
		$granted  = array_values( array_unique( $body['granted'] ) );
		$gpc      = ! empty( $body['gpc'] ) || '1' === ( $_SERVER['HTTP_SEC_GPC'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared with a literal.
		$at       = gmdate( 'Y-m-d\TH:i:s\Z' );
		$record   = VisitorLink::record( array( 'visitorId' => $visitor ), $granted, $gpc, ! empty( $body['overridesGpc'] ), (string) $body['locale'], $at, $settings );
		$id       = $this->consents->record( $record );
		if ( is_wp_error( $id ) ) {
			return Errors::error( Errors::CONSENT_NOT_QUEUED );
		}
		$receipt = array(
			'consentId'     => $id,
			'at'            => $at,
			'revision'      => (int) $body['revision'],
			'policyVersion' => (string) $settings['policy_version'],
			'gpc'           => $gpc,
			'decisions'     => array_map(
				static fn ( $d ) => array(
					'category' => $d['purpose'],
					'decision' => $d['decision'],
				),
				$record['decisions']
			),
		);
		$response = new WP_REST_Response( $receipt, 201 );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

}

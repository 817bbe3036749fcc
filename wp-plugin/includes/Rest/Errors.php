<?php
/**
 * The plugin's REST error catalogue: each code with its HTTP status and translated message.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Verifier;
use WP_Error;

/**
 * As WooCommerce's REST controllers do: stable codes as constants, one place that knows their status
 * and message, and controllers that return `Errors::error( Errors::CODE )`. The codes are part of the
 * contract with the service and the tests: change a message freely, never a code.
 */
final class Errors {

	// Signed routes (privacy-bridge/v1): the verifier's verdicts.
	const SIGNATURE_MISSING = Verifier::MISSING;
	const SIGNATURE_INVALID = Verifier::INVALID;
	const SIGNATURE_EXPIRED = Verifier::EXPIRED;
	const MESSAGE_REPLAYED  = Verifier::REPLAYED;

	// Data-subject requests (Rest/DsrController, Rest/DsrPushController).
	const WOOCOMMERCE_INACTIVE = 'privacy_bridge_woocommerce_inactive';
	const REQUEST_NOT_FOUND    = 'privacy_bridge_request_not_found';
	const REQUEST_WRONG_KIND   = 'privacy_bridge_request_wrong_kind';
	const REQUEST_WRONG_PERSON = 'privacy_bridge_request_wrong_person';
	const MISSING_PARAM        = 'rest_missing_callback_param'; // WordPress's own code, so clients read it as core's.

	// The cookie banner's public route (Banner/ConsentEndpoint).
	const BANNER_CONSENT_INVALID = 'privacy_bridge_banner_consent_invalid';
	const VISITOR_MISSING        = 'privacy_bridge_visitor_missing';
	const RATE_LIMITED           = 'privacy_bridge_rate_limited';
	const CONSENT_NOT_QUEUED     = 'privacy_bridge_consent_not_queued';

	// Site Health's routes (Admin/SiteHealth): WordPress's own code for a user who may not see them.
	const FORBIDDEN = 'rest_forbidden';

	/**
	 * The error for `$code`, with its status; `$data` adds to (or, for a status, overrides) the error's data.
	 *
	 * @param string               $code One of this class's constants (an unknown one is a bug: it answers 500).
	 * @param array<string, mixed> $data More error data (e.g. `params`).
	 * @param string[]             $args Values for the message's placeholders.
	 */
	public static function error( string $code, array $data = array(), array $args = array() ): WP_Error {
		$catalogue = self::catalogue();
		[ $status, $message ] = $catalogue[ $code ] ?? array( 500, __( 'Unexpected error.', 'privacy-bridge' ) );
		return new WP_Error( $code, array() === $args ? $message : vsprintf( $message, $args ), array_merge( array( 'status' => $status ), $data ) );
	}

	/** @return array<string, array{0: int, 1: string}> Code => [status, message], translated when asked. */
	private static function catalogue(): array {
		return array(
			self::SIGNATURE_MISSING      => array( 401, __( 'The message is not signed.', 'privacy-bridge' ) ),
			self::SIGNATURE_INVALID      => array( 401, __( 'The message signature did not verify.', 'privacy-bridge' ) ),
			self::SIGNATURE_EXPIRED      => array( 401, __( 'The message timestamp is outside the accepted window.', 'privacy-bridge' ) ),
			self::MESSAGE_REPLAYED       => array( 401, __( 'This message id was used already.', 'privacy-bridge' ) ),
			self::WOOCOMMERCE_INACTIVE   => array( 409, __( 'WooCommerce is not active on this site, so its orders cannot be read (skipped: woocommerce-inactive).', 'privacy-bridge' ) ),
			self::REQUEST_NOT_FOUND      => array( 404, __( 'No such privacy request.', 'privacy-bridge' ) ),
			self::REQUEST_WRONG_KIND     => array( 409, __( 'This privacy request is of another kind.', 'privacy-bridge' ) ),
			self::REQUEST_WRONG_PERSON   => array( 409, __( 'This privacy request belongs to another person.', 'privacy-bridge' ) ),
			/* translators: %s: list of parameter names. */
			self::MISSING_PARAM          => array( 400, __( 'Missing parameter(s): %s', 'privacy-bridge' ) ),
			self::BANNER_CONSENT_INVALID => array( 400, __( 'The choice is not valid.', 'privacy-bridge' ) ),
			self::VISITOR_MISSING        => array( 400, __( 'The visitor cookie is missing.', 'privacy-bridge' ) ),
			self::RATE_LIMITED           => array( 429, __( 'Too many changes in a short time. Please try again in a few minutes.', 'privacy-bridge' ) ),
			self::CONSENT_NOT_QUEUED     => array( 503, __( 'The choice could not be recorded. Please try again.', 'privacy-bridge' ) ),
			self::FORBIDDEN              => array( 403, __( 'Sorry, you are not allowed to do that.', 'privacy-bridge' ) ),
		);
	}
}

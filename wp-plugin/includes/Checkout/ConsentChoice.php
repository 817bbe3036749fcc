<?php
/**
 * What a checkout's two boxes said, read the same strict way for the block and the classic checkout.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

/**
 * Pure: no WordPress. A box counts as ticked only for an explicit true value (true, 1, '1', 'on',
 * 'yes', 'true'); anything else, and a value that is not there at all, is "not ticked", so a request
 * that leaves the acceptance out is refused exactly like one that sends it unticked.
 */
final class ConsentChoice {

	const ACCEPT_FIELD    = 'privacy-bridge/accept-policy';
	const MARKETING_FIELD = 'privacy-bridge/marketing';

	/** Classic checkout's form names (no slash in a form field name). */
	const ACCEPT_POST    = 'privacy_bridge_accept_policy';
	const MARKETING_POST = 'privacy_bridge_marketing';

	/** The refusal's stable code. */
	const NOT_ACCEPTED = 'privacy_bridge_policy_not_accepted';

	/**
	 * @var bool
	 */
	public $accepted;

	/**
	 * @var bool
	 */
	public $marketing;

	private function __construct( bool $accepted, bool $marketing ) {
		$this->accepted  = $accepted;
		$this->marketing = $marketing;
	}

	/**
	 * @param mixed $value A posted or decoded value, or null when absent.
	 */
	public static function ticked( $value ): bool {
		if ( true === $value || 1 === $value ) {
			return true;
		}
		return is_string( $value ) && in_array( strtolower( trim( $value ) ), array( '1', 'on', 'yes', 'true' ), true );
	}

	/**
	 * From the Store API's `additional_fields` (block checkout).
	 *
	 * @param mixed $additional_fields The request's additional_fields, whatever was sent.
	 */
	public static function from_additional_fields( $additional_fields ): self {
		$fields = is_array( $additional_fields ) ? $additional_fields : array();
		return new self( self::ticked( $fields[ self::ACCEPT_FIELD ] ?? null ), self::ticked( $fields[ self::MARKETING_FIELD ] ?? null ) );
	}

	/**
	 * From the classic checkout's posted form.
	 *
	 * @param array<string, mixed> $post The posted form ($_POST, nonce checked by WooCommerce).
	 */
	public static function from_post( array $post ): self {
		return new self( self::ticked( $post[ self::ACCEPT_POST ] ?? null ), self::ticked( $post[ self::MARKETING_POST ] ?? null ) );
	}

	/** The RecordConsent decisions this choice makes (acceptance is shown by the policy version). */
	public function decisions(): array {
		return array(
			array(
				'purpose'  => 'marketing',
				'decision' => $this->marketing ? 'granted' : 'denied',
			),
		);
	}
}

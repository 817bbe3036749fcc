<?php
/**
 * Customer-facing checkout texts used in more than one place.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

/**
 * Translated when asked for, so they follow the language WordPress is in at that moment.
 */
final class Messages {

	/** The refusal when the policy box is not ticked. */
	public static function not_accepted(): string {
		return __( 'To place the order, please read and accept the privacy policy.', 'privacy-bridge' );
	}
}

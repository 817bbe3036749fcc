<?php
/**
 * Whether WooCommerce (and its Bookings extension) can be used in this request.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Woo;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce is optional at run time: every caller asks here first and answers
 * `skipped: woocommerce-inactive` rather than failing on a missing function.
 */
final class Woo {

	const INACTIVE = 'skipped: woocommerce-inactive';

	/** WooCommerce's order functions are loaded. */
	public static function active(): bool {
		return function_exists( 'wc_get_order' ) && function_exists( 'wc_get_orders' ) && class_exists( '\WC_Order' );
	}

	/** WooCommerce Bookings is loaded. */
	public static function bookings_active(): bool {
		return class_exists( '\WC_Booking' ) && function_exists( 'get_wc_booking' );
	}

	/** WC_Privacy_Erasers is only included on some requests: include it from WooCommerce itself. */
	public static function load_erasers(): bool {
		if ( ! class_exists( '\WC_Privacy_Erasers' ) && defined( 'WC_ABSPATH' ) && is_readable( WC_ABSPATH . 'includes/class-wc-privacy-erasers.php' ) ) {
			include_once WC_ABSPATH . 'includes/class-wc-privacy-erasers.php';
		}
		return class_exists( '\WC_Privacy_Erasers' );
	}

	/**
	 * Every order status, trash included: a trashed order still holds personal data.
	 *
	 * @return string[]
	 */
	public static function all_statuses(): array {
		$statuses = function_exists( 'wc_get_order_statuses' ) ? array_keys( wc_get_order_statuses() ) : array();
		return array_merge( $statuses, array( 'trash' ) );
	}
}

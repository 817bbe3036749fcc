<?php
/**
 * Pages where marketing never runs, whatever the visitor chose: which session someone looks at or
 * buys is health data.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

/**
 * Checkout (and order received), My Account, the cart, and every product page (this shop's products
 * are sessions). Filter `privacy_bridge_banner_sensitive_page` to change the answer.
 */
final class SensitivePages {

	/** Call after the main query (`wp` or later). */
	public static function is_sensitive(): bool {
		$sensitive = false;
		if ( function_exists( 'is_checkout' ) ) {
			$sensitive = is_checkout() || is_order_received_page() || is_account_page() || is_cart() || is_product();
		}
		return (bool) apply_filters( 'privacy_bridge_banner_sensitive_page', $sensitive );
	}
}

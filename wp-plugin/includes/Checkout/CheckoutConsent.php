<?php
/**
 * Wires checkout consent: the policy cache, the block and the classic checkout, the re-consent notice.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Outbox\Scheduler;
use PrivacyBridge\Privacy\Consents;
use PrivacyBridge\Service\ServiceClient;

/**
 * One call from Plugin.php.
 */
final class CheckoutConsent {

	/**
	 * @param ServiceClient $client   Signed client.
	 * @param Consents      $consents Consent recording.
	 */
	public static function register( ServiceClient $client, Consents $consents ): OrderConsent {
		$policy = new PolicyCache( $client );
		$orders = new OrderConsent( $consents );
		( new BlockCheckout( $orders ) )->register();
		( new ClassicCheckout( $orders ) )->register();
		add_action( PolicyCache::HOOK, array( $policy, 'refresh' ) );
		add_action( Scheduler::HOOK . '_recurring', array( $policy, 'refresh_later_if_stale' ) );
		add_action(
			'woocommerce_before_checkout_form',
			static function () use ( $policy ): void {
				$policy->refresh_later_if_stale();
			}
		);
		return $orders;
	}
}

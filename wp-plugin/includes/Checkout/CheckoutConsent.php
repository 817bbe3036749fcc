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
		add_action( 'template_redirect', array( self::class, 'reconsent_notice' ) );
		return $orders;
	}

	/**
	 * Hooked to `template_redirect`: at checkout, a logged-in customer who has not accepted the material
	 * policy version in effect is told so; ticking the box records the acceptance against that version.
	 */
	public static function reconsent_notice(): void {
		if ( ! is_user_logged_in() || ! function_exists( 'is_checkout' ) || ! is_checkout() || ! \PrivacyBridge\Account\PrivacyPage::needs_reconsent( get_current_user_id() ) ) {
			return;
		}
		$policy = PolicyCache::current();
		/* translators: %s: policy version label */
		$text = sprintf( __( 'Our privacy policy has changed (version %s). Please read it before you accept it below.', 'privacy-bridge' ), $policy['version'] );
		if ( ! wc_has_notice( $text, 'notice' ) ) {
			wc_add_notice( $text, 'notice' );
		}
	}
}

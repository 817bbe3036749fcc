<?php
/**
 * The visitor's cookies, and linking an anonymous visitor to the customer at log-in and checkout.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Privacy\Consents;

/**
 * `pb_vid` is a random id the banner makes when a visitor first chooses; `pb_consent` is
 * `<revision>.<bits>.<unix time>` with one bit per category (preferences, statistics, marketing).
 * When a visitor with a choice logs in or places an order, the choice is recorded again under the
 * visitor id together with the customer's e-mail (and user id): the service then files the visitor's
 * earlier choices under the customer, so they appear in the customer's export.
 */
final class VisitorLink {

	const VISITOR_COOKIE = 'pb_vid';
	const CONSENT_COOKIE = 'pb_consent';

	/**
	 * @var Consents
	 */
	private $consents;

	public function __construct( Consents $consents ) {
		$this->consents = $consents;
	}

	public function register(): void {
		add_action( 'wp_login', array( $this, 'on_login' ), 10, 2 );
		add_action( 'woocommerce_checkout_order_processed', array( $this, 'on_classic_order' ), 10, 3 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( $this, 'on_order' ) );
	}

	/** The visitor id from its cookie, or null when absent or malformed. */
	public static function visitor_id(): ?string {
		$id = isset( $_COOKIE[ self::VISITOR_COOKIE ] ) ? (string) $_COOKIE[ self::VISITOR_COOKIE ] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- matched against a strict pattern.
		return preg_match( '/^[A-Za-z0-9_-]{16,128}$/', $id ) ? $id : null;
	}

	/**
	 * The visitor's stored choice, or null when absent or from an older revision.
	 *
	 * @return array{granted: string[], at: string}|null
	 */
	public static function stored_choice( int $revision ): ?array {
		$raw = isset( $_COOKIE[ self::CONSENT_COOKIE ] ) ? (string) $_COOKIE[ self::CONSENT_COOKIE ] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- matched against a strict pattern.
		if ( ! preg_match( '/^(\d{1,7})\.([01]{3})\.(\d{9,11})$/', $raw, $m ) || (int) $m[1] < $revision ) {
			return null;
		}
		$granted = array();
		foreach ( BannerSettings::CATEGORIES as $i => $category ) {
			if ( '1' === $m[2][ $i ] ) {
				$granted[] = $category;
			}
		}
		return array(
			'granted' => $granted,
			'at'      => gmdate( 'Y-m-d\TH:i:s\Z', min( (int) $m[3], time() ) ),
		);
	}

	/**
	 * A RecordConsent (shared/src/contracts/consent.ts) for the banner's categories.
	 *
	 * @param array<string, mixed> $subject  ConsentSubject.
	 * @param string[]             $granted  Allowed categories.
	 * @param array<string, mixed> $settings BannerSettings::get().
	 * @return array<string, mixed>
	 */
	public static function record( array $subject, array $granted, bool $gpc, bool $overrides_gpc, string $locale, string $at, array $settings ): array {
		$decisions = array();
		foreach ( BannerSettings::CATEGORIES as $category ) {
			$decisions[] = array(
				'purpose'  => $category,
				'decision' => in_array( $category, $granted, true ) ? 'granted' : 'denied',
			);
		}
		$record = array(
			'subject'        => $subject,
			'source'         => 'banner',
			'decisions'      => $decisions,
			'policyVersion'  => (string) $settings['policy_version'],
			'gpc'            => $gpc,
			'locale'         => $locale,
			'at'             => $at,
		);
		if ( $gpc && $overrides_gpc ) {
			$record['overridesGpc'] = true;
		}
		return $record;
	}

	/**
	 * Hooked to `wp_login`.
	 *
	 * @param string   $login Login name (unused).
	 * @param \WP_User $user  The user.
	 */
	public function on_login( $login, $user ): void {
		if ( $user instanceof \WP_User ) {
			$this->link( (string) $user->user_email, (int) $user->ID );
		}
	}

	/**
	 * Hooked to the classic checkout's `woocommerce_checkout_order_processed`.
	 *
	 * @param int   $order_id Order id.
	 * @param mixed $posted   Posted data (unused).
	 * @param mixed $order    The order.
	 */
	public function on_classic_order( $order_id, $posted = null, $order = null ): void {
		$this->on_order( $order instanceof \WC_Order ? $order : wc_get_order( $order_id ) );
	}

	/**
	 * Hooked to the block checkout's `woocommerce_store_api_checkout_order_processed`.
	 *
	 * @param mixed $order The order.
	 */
	public function on_order( $order ): void {
		if ( $order instanceof \WC_Order ) {
			$this->link( (string) $order->get_billing_email(), (int) $order->get_customer_id() );
		}
	}

	private function link( string $email, int $user_id ): void {
		$visitor  = self::visitor_id();
		$settings = BannerSettings::get();
		$choice   = null === $visitor ? null : self::stored_choice( (int) $settings['revision'] );
		if ( null === $choice || ! is_email( $email ) ) {
			return;
		}
		$subject = array(
			'email'     => $email,
			'visitorId' => $visitor,
		);
		if ( $user_id > 0 ) {
			$subject['wpUserId'] = $user_id;
		}
		$gpc = '1' === ( $_SERVER['HTTP_SEC_GPC'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared with a literal.
		$this->consents->record( self::record( $subject, $choice['granted'], $gpc, $gpc, BannerSettings::lang(), $choice['at'], $settings ) );
	}
}

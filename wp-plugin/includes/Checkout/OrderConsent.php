<?php
/**
 * Stamps an order with what the person accepted and sends it through the outbox, bound to the order.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Privacy\Consents;
use WC_Order;

/**
 * The same meta for both checkouts. `stamp()` writes it before the order is saved; `send()` runs once
 * the order has passed WooCommerce's own checks and queues one RecordConsent (never twice for an
 * order, so a retried payment records nothing new). The service is never waited for.
 */
final class OrderConsent {

	const META_VERSION   = '_privacy_bridge_policy_version';
	const META_SHA256    = '_privacy_bridge_policy_sha256';
	const META_IDS       = '_privacy_bridge_consent_ids';
	const META_CHECKOUT  = '_privacy_bridge_checkout';
	const META_MARKETING = '_privacy_bridge_marketing';
	const META_AT        = '_privacy_bridge_consent_at';

	/** User meta: the last policy version the customer accepted (for the re-consent notice). */
	const USER_VERSION = '_privacy_bridge_policy_version';

	/**
	 * @var Consents
	 */
	private $consents;

	/**
	 * @param Consents $consents Queues RecordConsent messages.
	 */
	public function __construct( Consents $consents ) {
		$this->consents = $consents;
	}

	/**
	 * @param WC_Order      $order    The order being placed.
	 * @param ConsentChoice $choice   What the boxes said (accepted).
	 * @param string        $checkout 'block' | 'classic'.
	 */
	public function stamp( WC_Order $order, ConsentChoice $choice, string $checkout ): void {
		$policy = PolicyCache::current();
		$order->update_meta_data( self::META_VERSION, $policy['version'] );
		$order->update_meta_data( self::META_SHA256, $policy['sha256'] );
		$order->update_meta_data( self::META_CHECKOUT, $checkout );
		$order->update_meta_data( self::META_MARKETING, $choice->marketing ? '1' : '0' );
		$order->update_meta_data( self::META_AT, (string) time() );
		// The block checkout's own keys, written by the classic checkout too: one reader for both.
		$order->update_meta_data( '_wc_other/' . ConsentChoice::ACCEPT_FIELD, $choice->accepted ? '1' : '0' );
		$order->update_meta_data( '_wc_other/' . ConsentChoice::MARKETING_FIELD, $choice->marketing ? '1' : '0' );
	}

	/**
	 * Queues the order's consent once and saves the consent id on the order.
	 *
	 * @param WC_Order $order A stamped order with an id.
	 * @return string[] The consent ids.
	 */
	public function send( WC_Order $order ): array {
		$existing = array_filter( explode( ',', (string) $order->get_meta( self::META_IDS ) ) );
		if ( array() !== $existing || '' === (string) $order->get_meta( self::META_VERSION ) ) {
			return $existing;
		}
		$choice = ConsentChoice::from_additional_fields(
			array(
				ConsentChoice::ACCEPT_FIELD    => (string) $order->get_meta( '_wc_other/' . ConsentChoice::ACCEPT_FIELD ),
				ConsentChoice::MARKETING_FIELD => (string) $order->get_meta( self::META_MARKETING ),
			)
		);
		$record = ConsentRecord::build(
			array(
				'email'   => (string) $order->get_billing_email(),
				'user_id' => (int) $order->get_customer_id(),
			),
			$choice->decisions(),
			array(
				'policy_version' => (string) $order->get_meta( self::META_VERSION ),
				'order_id'       => (int) $order->get_id(),
				'gpc'            => self::gpc(),
				'locale'         => determine_locale(),
				'at'             => (int) $order->get_meta( self::META_AT ),
			)
		);
		if ( null === $record ) {
			return array();
		}
		// The outbox row, its drain's schedule and the order's consent id are written at checkout, each an own
		// commit (a log flush) by default: in one transaction the customer waits for one flush instead of four or five.
		$own = self::begin();
		try {
			$message_id = $this->consents->record( $record );
			if ( is_wp_error( $message_id ) ) {
				return array();
			}
			$ids = array( ConsentRecord::event_id( $message_id ) );
			$order->update_meta_data( self::META_IDS, implode( ',', $ids ) );
			$order->save_meta_data();
			if ( $order->get_customer_id() > 0 && $choice->accepted ) {
				update_user_meta( $order->get_customer_id(), self::USER_VERSION, (string) $order->get_meta( self::META_VERSION ) );
			}
			return $ids;
		} finally {
			if ( $own ) {
				$GLOBALS['wpdb']->query( 'COMMIT' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			}
		}
	}

	/** Starts a transaction unless one is open (another one's START would commit it). True when this started it. */
	private static function begin(): bool {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( '0' !== (string) $wpdb->get_var( 'SELECT @@in_transaction' ) ) {
			return false;
		}
		return false !== $wpdb->query( 'START TRANSACTION' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}

	/** The browser sent Sec-GPC: 1. */
	public static function gpc(): bool {
		return isset( $_SERVER['HTTP_SEC_GPC'] ) && '1' === trim( sanitize_text_field( wp_unslash( $_SERVER['HTTP_SEC_GPC'] ) ) );
	}
}

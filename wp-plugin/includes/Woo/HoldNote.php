<?php
/**
 * The order note that says why an order was kept after an erasure request.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Woo;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Account\Format;

/**
 * One private order note naming each hold that keeps the order and its end, in the shop's language
 * (the site's locale: the service's signed call has no user; month names from Account\Format, since
 * WordPress has them only with core's language pack). It names no one: hold names and dates only.
 * A repeat erasure with the same holds finds the same text on the order and adds nothing.
 */
final class HoldNote {

	/**
	 * @param \WC_Order                                  $order Order.
	 * @param array<int, array{id: string, until: ?string}> $holds EraseCommand.orders[].holds.
	 * @return bool Whether a note was added.
	 */
	public function add( \WC_Order $order, array $holds ): bool {
		if ( array() === $holds ) {
			return false;
		}
		$text = $this->text( $holds, 0 === strpos( determine_locale(), 'sq' ) ? 'sq' : 'en' );
		foreach ( wc_get_order_notes( array( 'order_id' => $order->get_id() ) ) as $note ) {
			if ( $text === (string) $note->content ) {
				return false;
			}
		}
		$order->add_order_note( $text, 0, false );
		return true;
	}

	/**
	 * @param array<int, array{id: string, until: ?string}> $holds    Holds.
	 * @param string                                        $language 'sq' | 'en': the dates' month names.
	 */
	public function text( array $holds, string $language ): string {
		$parts = array();
		// The day the receipt names (the hold's end in UTC): an accounting year ending 23:59:59 UTC is already 1 January in Tirana.
		$utc = new \DateTimeZone( 'UTC' );
		foreach ( $holds as $hold ) {
			$hold  = (array) $hold;
			$name  = $this->name( (string) ( $hold['id'] ?? '' ) );
			$until = isset( $hold['until'] ) && is_string( $hold['until'] ) ? strtotime( $hold['until'] ) : false;
			$parts[] = false === $until
				/* translators: %s: why the order is kept, e.g. "upcoming session". */
				? sprintf( __( '%s, with no end date yet', 'privacy-bridge' ), $name )
				/* translators: 1: why the order is kept, e.g. "upcoming session"; 2: the date that hold ends. */
				: sprintf( __( '%1$s until %2$s', 'privacy-bridge' ), $name, Format::date( $until, $language, $utc, false ) );
		}
		/* translators: %s: the holds that keep the order, each with its end, e.g. "upcoming session until 12 December 2026". */
		return sprintf( __( 'Privacy Bridge: the personal data on this order is kept after an erasure request, because of: %s.', 'privacy-bridge' ), implode( '; ', $parts ) );
	}

	/**
	 * @param string $id The policy's retention id.
	 */
	private function name( string $id ): string {
		switch ( $id ) {
			case 'open-order':
				return __( 'an open order', 'privacy-bridge' );
			case 'upcoming-session':
				return __( 'an upcoming session', 'privacy-bridge' );
			case 'accounting':
				return __( 'accounting records', 'privacy-bridge' );
			case 'legal-claim':
				return __( 'a legal claim', 'privacy-bridge' );
			default:
				return $id; // A hold of another policy: its id, as the receipt shows it.
		}
	}
}

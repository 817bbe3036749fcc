<?php
/**
 * Carries out the service's erase command: WooCommerce's own order anonymiser plus what it misses.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Woo;

defined( 'ABSPATH' ) || exit;

/**
 * One order at a time, item by item, every step safe to repeat. WC_Privacy_Erasers::remove_order_personal_data()
 * anonymises every prop it knows and deletes every note; the command names the fields to anonymise (a paid
 * order keeps its invoice fields), so WooCommerce's prop and meta lists are narrowed to those fields while
 * it runs, and when the notes must stay its helpers (wp_privacy_anonymize_data() with WooCommerce's
 * data types) are used without it, and on a held order (the command names its holds), which is left as it is
 * but for the named fields and says why in a note (HoldNote). Then what it never touches: customer_note,
 * custom and booking meta.
 */
final class OrderEraser {

	/** WooCommerce's prop => wp_privacy_anonymize_data() type (class-wc-privacy-erasers.php, 9.9). */
	const PROP_TYPES = array(
		'customer_ip_address' => 'ip',
		'customer_user_agent' => 'text',
		'billing_first_name'  => 'text',
		'billing_last_name'   => 'text',
		'billing_company'     => 'text',
		'billing_address_1'   => 'text',
		'billing_address_2'   => 'text',
		'billing_city'        => 'text',
		'billing_postcode'    => 'text',
		'billing_state'       => 'address_state',
		'billing_country'     => 'address_country',
		'billing_phone'       => 'phone',
		'billing_email'       => 'email',
		'shipping_first_name' => 'text',
		'shipping_last_name'  => 'text',
		'shipping_company'    => 'text',
		'shipping_address_1'  => 'text',
		'shipping_address_2'  => 'text',
		'shipping_city'       => 'text',
		'shipping_postcode'   => 'text',
		'shipping_state'      => 'address_state',
		'shipping_country'    => 'address_country',
		'shipping_phone'      => 'phone',
		'customer_id'         => 'numeric_id',
		'transaction_id'      => 'numeric_id',
	);

	/** WooCommerce's own payment meta, and the field that allows anonymising it. */
	const META_FIELDS = array(
		'Payer first name'     => 'billing_first_name',
		'Payer last name'      => 'billing_last_name',
		'Payer PayPal address' => 'billing_email',
		'Transaction ID'       => 'transaction_id',
	);

	/**
	 * @param array<string, mixed> $command One order of the erase command (EraseCommand.orders[]).
	 * @return array<string, mixed> Its line of EraseCommandResult.orders.
	 */
	public function erase( array $command ): array {
		$id   = (int) $command['id'];
		$line = array( 'id' => $id, 'outcome' => 'done', 'anonymised' => array(), 'unchangeable' => array(), 'deletedMetaKeys' => array(), 'notesDeleted' => 0 );
		if ( ! Woo::active() ) {
			return array_merge( $line, array( 'outcome' => 'failed', 'error' => Woo::INACTIVE ) );
		}
		$order = wc_get_order( $id );
		if ( ! $order instanceof \WC_Order ) {
			return array_merge( $line, array( 'outcome' => 'not-found' ) );
		}
		try {
			$fields = array_values( array_map( 'strval', (array) ( $command['anonymise'] ?? array() ) ) );
			$props  = array_intersect_key( self::PROP_TYPES, array_flip( str_replace( '.', '_', $fields ) ) );
			$notes  = ! empty( $command['deleteNotes'] );
			$holds  = array_values( array_filter( (array) ( $command['holds'] ?? array() ), 'is_array' ) );
			$email  = (string) $order->get_billing_email( 'edit' ); // Before it is anonymised: the sessions below are found by it.
			if ( $notes ) {
				$line['notesDeleted'] = count( wc_get_order_notes( array( 'order_id' => $id ) ) );
			}
			// A held order is not marked erased: WooCommerce's anonymiser would set _anonymized, delete every note and add its own.
			if ( $notes && array() === $holds && Woo::load_erasers() ) {
				$this->run_woocommerce_anonymiser( $order, $props );
			} else {
				$this->anonymise_props( $order, $props );
				if ( $notes ) {
					$this->delete_notes( $id );
				}
			}
			$order = wc_get_order( $id ); // WooCommerce saved its own copy.
			if ( in_array( 'customer_note', $fields, true ) && '' !== (string) $order->get_customer_note( 'edit' ) ) {
				$order->set_customer_note( '' );
			}
			$line['deletedMetaKeys'] = $this->delete_meta( $order, (array) ( $command['deleteMetaKeys'] ?? array() ), (array) ( $command['deleteItemMetaKeys'] ?? array() ) );
			$order->save();
			( new HoldNote() )->add( $order, $holds );
			$this->erase_placeholder_meta( $id, $fields, (array) ( $command['deleteMetaKeys'] ?? array() ) );
			$this->delete_sessions( $id, $email );
			$line['anonymised'] = $fields;
		} catch ( \Throwable $e ) {
			// The class only: a message could repeat a stored value.
			return array_merge( $line, array( 'outcome' => 'failed', 'error' => substr( 'failed: ' . get_class( $e ), 0, 200 ) ) );
		}
		return $line;
	}

	/**
	 * WooCommerce's own anonymiser, narrowed to the props (and payment meta) the command names.
	 *
	 * @param \WC_Order             $order Order.
	 * @param array<string, string> $props Prop => data type.
	 */
	private function run_woocommerce_anonymiser( \WC_Order $order, array $props ): void {
		$only_props = static function ( $all ) use ( $props ) {
			return array_intersect_key( is_array( $all ) ? $all : array(), $props );
		};
		$only_meta  = static function ( $all ) use ( $props ) {
			$all = is_array( $all ) ? $all : array();
			return array_filter(
				$all,
				static function ( $key ) use ( $props ) {
					return isset( self::META_FIELDS[ $key ] ) && isset( $props[ self::META_FIELDS[ $key ] ] );
				},
				ARRAY_FILTER_USE_KEY
			);
		};
		add_filter( 'woocommerce_privacy_remove_order_personal_data_props', $only_props, PHP_INT_MAX );
		add_filter( 'woocommerce_privacy_remove_order_personal_data_meta', $only_meta, PHP_INT_MAX );
		try {
			\WC_Privacy_Erasers::remove_order_personal_data( $order );
		} finally {
			remove_filter( 'woocommerce_privacy_remove_order_personal_data_props', $only_props, PHP_INT_MAX );
			remove_filter( 'woocommerce_privacy_remove_order_personal_data_meta', $only_meta, PHP_INT_MAX );
		}
	}

	/**
	 * The same anonymisation without deleting the notes (WooCommerce's function always deletes them).
	 *
	 * @param \WC_Order             $order Order.
	 * @param array<string, string> $props Prop => data type.
	 */
	private function anonymise_props( \WC_Order $order, array $props ): void {
		$values = array();
		foreach ( $props as $prop => $type ) {
			$getter = 'get_' . $prop;
			$value  = is_callable( array( $order, $getter ) ) ? $order->{$getter}( 'edit' ) : '';
			if ( ! empty( $value ) ) {
				$values[ $prop ] = function_exists( 'wp_privacy_anonymize_data' ) ? wp_privacy_anonymize_data( $type, (string) $value ) : '';
			}
		}
		$order->set_props( $values );
		$order->save();
	}

	/**
	 * With HPOS on, every order has a `shop_order_placehold` post whose wp_postmeta WooCommerce filled when
	 * the order was made (billing name, e-mail, phone, address) and never touches again while sync is off:
	 * the anonymised fields' and deleted keys' copies there go too. A legacy `shop_order` post is the order
	 * itself (WooCommerce's own save above wrote it), so only placeholders are touched.
	 *
	 * @param int      $order_id  Order id.
	 * @param string[] $fields    Anonymised fields (`billing.email`, `customer_ip_address`…).
	 * @param mixed[]  $meta_keys Order meta keys deleted.
	 * @return int Rows deleted.
	 */
	private function erase_placeholder_meta( int $order_id, array $fields, array $meta_keys ): int {
		if ( 'shop_order_placehold' !== get_post_type( $order_id ) ) {
			return 0;
		}
		$keys = array_merge(
			array_map(
				static function ( string $field ): string {
					return '_' . str_replace( '.', '_', $field );
				},
				$fields
			),
			array_map( 'strval', $meta_keys )
		);
		if ( in_array( 'billing.email', $fields, true ) || in_array( 'billing.first_name', $fields, true ) ) {
			$keys[] = '_billing_address_index';
		}
		if ( in_array( 'shipping.first_name', $fields, true ) || in_array( 'shipping.address_1', $fields, true ) ) {
			$keys[] = '_shipping_address_index';
		}
		$deleted = 0;
		foreach ( array_unique( $keys ) as $key ) {
			$deleted += delete_post_meta( $order_id, $key ) ? 1 : 0;
		}
		return $deleted;
	}

	/**
	 * A buyer's WooCommerce session (wp_woocommerce_sessions) keeps the checkout's customer data — name, e-mail,
	 * phone, address — for two days after the order, a guest's under a random key no account leads to. It is a
	 * cart, not the shop's record of the order: the sessions that point at this order (the Store API's draft
	 * order, the classic checkout's order awaiting payment) or carry its e-mail go, whatever the order keeps.
	 *
	 * @param int    $order_id Order id.
	 * @param string $email    The order's billing e-mail as it was before this erasure ('' for none).
	 * @return int Sessions deleted.
	 */
	private function delete_sessions( int $order_id, string $email ): int {
		global $wpdb;
		$table = $wpdb->prefix . 'woocommerce_sessions';
		if ( $table !== $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- schema lookup.
			return 0;
		}
		$where = array( 'session_value LIKE %s', 'session_value LIKE %s' );
		$args  = array( '%' . $wpdb->esc_like( '"store_api_draft_order";i:' . $order_id . ';' ) . '%', '%' . $wpdb->esc_like( '"order_awaiting_payment";i:' . $order_id . ';' ) . '%' );
		if ( '' !== $email ) {
			$where[] = 'LOWER(session_value) LIKE %s';
			$args[]  = '%' . $wpdb->esc_like( '"' . strtolower( $email ) . '"' ) . '%';
		}
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT session_id, session_key FROM {$table} WHERE " . implode( ' OR ', $where ), $args ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- table name from $wpdb, conditions fixed above.
		$group = defined( 'WC_SESSION_CACHE_GROUP' ) ? WC_SESSION_CACHE_GROUP : 'wc_session_id';
		$deleted = 0;
		foreach ( (array) $rows as $row ) {
			$deleted += (int) $wpdb->delete( $table, array( 'session_id' => (int) $row->session_id ), array( '%d' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- WooCommerce's session handler deletes only the current visitor's.
			wp_cache_delete( \WC_Cache_Helper::get_cache_prefix( $group ) . $row->session_key, $group );
		}
		return $deleted;
	}

	/**
	 * @param int $order_id Order id.
	 */
	private function delete_notes( int $order_id ): void {
		foreach ( wc_get_order_notes( array( 'order_id' => $order_id ) ) as $note ) {
			wc_delete_order_note( (int) $note->id );
		}
	}

	/**
	 * @param \WC_Order $order     Order.
	 * @param mixed[]   $keys      Order meta keys.
	 * @param mixed[]   $item_keys Line-item meta keys.
	 * @return string[] Keys that were there and are gone.
	 */
	private function delete_meta( \WC_Order $order, array $keys, array $item_keys ): array {
		$deleted = array();
		foreach ( array_map( 'strval', $keys ) as $key ) {
			if ( $order->meta_exists( $key ) ) {
				$order->delete_meta_data( $key );
				$deleted[] = $key;
			}
		}
		foreach ( $order->get_items( array( 'line_item', 'fee', 'shipping' ) ) as $item ) {
			$changed = false;
			foreach ( array_map( 'strval', $item_keys ) as $key ) {
				if ( $item->meta_exists( $key ) ) {
					$item->delete_meta_data( $key );
					$deleted[] = $key;
					$changed   = true;
				}
			}
			if ( $changed ) {
				$item->save();
			}
		}
		return array_values( array_unique( $deleted ) );
	}
}

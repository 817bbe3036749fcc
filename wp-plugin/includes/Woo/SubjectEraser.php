<?php
/**
 * The parts of an erase command beyond orders: the account, product reviews, past bookings.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Woo;

defined( 'ABSPATH' ) || exit;

/**
 * The account is a WordPress user (the WooCommerce customer is the same id), so it goes with or
 * without WooCommerce; an administrator's account is never deleted from here.
 */
final class SubjectEraser {

	/**
	 * @param int $customer_id WordPress user id.
	 * @return array{customerId: int, outcome: string}
	 */
	public function delete_account( int $customer_id ): array {
		$user = get_user_by( 'id', $customer_id );
		if ( ! $user ) {
			return array( 'customerId' => $customer_id, 'outcome' => 'not-found' );
		}
		if ( user_can( $user, 'manage_options' ) || user_can( $user, 'manage_woocommerce' ) ) {
			return array( 'customerId' => $customer_id, 'outcome' => 'failed' );
		}
		require_once ABSPATH . 'wp-admin/includes/user.php';
		return array( 'customerId' => $customer_id, 'outcome' => wp_delete_user( $customer_id ) ? 'done' : 'failed' );
	}

	/**
	 * Product reviews are comments on products, which WordPress's own comment eraser leaves alone.
	 *
	 * @param string $email Reviewer's address.
	 * @return int Deleted.
	 */
	public function delete_reviews( string $email ): int {
		$ids = get_comments(
			array(
				'author_email' => $email,
				'post_type'    => 'product',
				'type'         => array( 'review', 'comment' ),
				'status'       => 'all',
				'fields'       => 'ids',
				'number'       => 0,
			)
		);
		$deleted = 0;
		foreach ( (array) $ids as $id ) {
			$deleted += wp_delete_comment( (int) $id, true ) ? 1 : 0;
		}
		return $deleted;
	}

	/**
	 * WooCommerce Analytics keeps a customer row per buyer (wc_customer_lookup: name, e-mail, city, postcode)
	 * and refills it from any order of theirs it sees again, a held one too. It is a report's index, not the
	 * shop's record: the rows the erased orders point at (wc_order_stats) go; Analytics shows those orders
	 * without a customer.
	 *
	 * @param int[] $order_ids Orders of the erase command.
	 * @return int Rows deleted.
	 */
	public function delete_customer_lookup( array $order_ids ): int {
		global $wpdb;
		$order_ids = array_values( array_filter( array_map( 'intval', $order_ids ) ) );
		$stats     = $wpdb->prefix . 'wc_order_stats';
		$lookup    = $wpdb->prefix . 'wc_customer_lookup';
		if ( array() === $order_ids || $stats !== $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $stats ) ) || $lookup !== $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $lookup ) ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- schema lookup.
			return 0;
		}
		$in  = implode( ',', array_fill( 0, count( $order_ids ), '%d' ) );
		$ids = $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT customer_id FROM {$stats} WHERE customer_id > 0 AND order_id IN ($in)", $order_ids ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery,WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- table names from $wpdb, placeholders built above.
		$deleted = 0;
		foreach ( array_map( 'intval', (array) $ids ) as $id ) {
			$deleted += (int) $wpdb->delete( $lookup, array( 'customer_id' => $id ), array( '%d' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- no API deletes a lookup row.
		}
		return $deleted;
	}

	/**
	 * @param int[] $ids WooCommerce Bookings ids.
	 * @return int Deleted (0 without the Bookings extension).
	 */
	public function delete_bookings( array $ids ): int {
		if ( ! Woo::bookings_active() ) {
			return 0;
		}
		$deleted = 0;
		foreach ( $ids as $id ) {
			if ( 'wc_booking' === get_post_type( (int) $id ) && wp_delete_post( (int) $id, true ) ) {
				++$deleted;
			}
		}
		return $deleted;
	}
}

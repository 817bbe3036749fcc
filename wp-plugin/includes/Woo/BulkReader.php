<?php
/**
 * One page of a subject's orders, each with its notes, in one call.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Woo;

defined( 'ABSPATH' ) || exit;

/**
 * Orders by billing e-mail or by the account's id, oldest id first, in WooCommerce's wc/v3 shape
 * (its own REST controllers prepare them) with `notes` in the wc/v3 note shape. Pages are cut from
 * the id-ordered list: `afterId` (the last id of the previous page) is a cursor that stays right
 * while the set changes; `page` (what the DSR contract sends today) is the same list by number.
 */
final class BulkReader {

	/**
	 * @param string   $email    Address, already validated.
	 * @param int      $page     1-based page.
	 * @param int      $per_page Orders per page.
	 * @param int|null $after_id Cursor: only orders with a larger id.
	 * @return array{customer: array<string, mixed>|null, orders: array<int, array<string, mixed>>, bookings: array<int, array<string, mixed>>, page: int, totalPages: int, nextAfterId: int|null}
	 */
	public function read( string $email, int $page, int $per_page, ?int $after_id = null ): array {
		$user = get_user_by( 'email', $email );
		$ids  = $this->order_ids( $email, $user ? (int) $user->ID : 0 );
		if ( null !== $after_id ) {
			$ids   = array_values(
				array_filter(
					$ids,
					static function ( int $id ) use ( $after_id ) {
						return $id > $after_id;
					}
				)
			);
			$slice = array_slice( $ids, 0, $per_page );
			$pages = $page - 1 + max( 1, (int) ceil( count( $ids ) / $per_page ) );
		} else {
			$slice = array_slice( $ids, ( $page - 1 ) * $per_page, $per_page );
			$pages = max( 1, (int) ceil( count( $ids ) / $per_page ) );
		}
		$first = 1 === $page && null === $after_id;
		$more  = count( $ids ) > ( null !== $after_id ? $per_page : $page * $per_page );
		return array(
			'customer'    => $first && $user ? $this->customer( $user ) : null,
			'orders'      => array_values( array_filter( array_map( array( $this, 'order' ), $slice ) ) ),
			'bookings'    => $first ? $this->bookings( $ids, $user ? (int) $user->ID : 0 ) : array(),
			'page'        => $page,
			'totalPages'  => $pages,
			'nextAfterId' => $more && array() !== $slice ? (int) end( $slice ) : null,
		);
	}

	/**
	 * @param string $email   Address.
	 * @param int    $user_id Account id or 0.
	 * @return int[] Ascending.
	 */
	private function order_ids( string $email, int $user_id ): array {
		$customer = array( $email );
		if ( $user_id > 0 ) {
			$customer[] = $user_id;
		}
		$ids = wc_get_orders(
			array(
				'customer' => $customer,
				'status'   => Woo::all_statuses(),
				'type'     => 'shop_order',
				'limit'    => -1,
				'return'   => 'ids',
				'orderby'  => 'ID',
				'order'    => 'ASC',
			)
		);
		$ids = array_map( 'intval', is_array( $ids ) ? $ids : array() );
		sort( $ids );
		return array_values( array_unique( $ids ) );
	}

	/**
	 * @param int $id Order id.
	 * @return array<string, mixed>|null
	 */
	private function order( int $id ): ?array {
		$order = wc_get_order( $id );
		if ( ! $order instanceof \WC_Order ) {
			return null;
		}
		if ( class_exists( '\WC_REST_Orders_Controller' ) ) {
			$controller = new \WC_REST_Orders_Controller();
			$data       = $controller->prepare_response_for_collection( $controller->prepare_object_for_response( $order, new \WP_REST_Request( 'GET' ) ) );
		} else {
			$data = $this->order_fallback( $order );
		}
		unset( $data['_links'] );
		$data['notes'] = $this->notes( $id );
		return $data;
	}

	/**
	 * @param \WC_Order $order Order.
	 * @return array<string, mixed> The fields the service reads, where WooCommerce's REST classes are not loaded.
	 */
	private function order_fallback( \WC_Order $order ): array {
		$meta  = static function ( $object ) {
			return array_map(
				static function ( $m ) {
					return array( 'id' => $m->id, 'key' => $m->key, 'value' => $m->value );
				},
				$object->get_meta_data()
			);
		};
		$items = array();
		foreach ( $order->get_items() as $item ) {
			$items[] = array( 'id' => $item->get_id(), 'name' => $item->get_name(), 'product_id' => is_callable( array( $item, 'get_product_id' ) ) ? $item->get_product_id() : 0, 'quantity' => $item->get_quantity(), 'meta_data' => $meta( $item ) );
		}
		$date = static function ( $d ) {
			return $d ? gmdate( 'Y-m-d\TH:i:s', $d->getTimestamp() ) : null;
		};
		return array(
			'id'                  => $order->get_id(),
			'status'              => $order->get_status(),
			'customer_id'         => $order->get_customer_id(),
			'billing'             => $order->get_address( 'billing' ),
			'shipping'            => $order->get_address( 'shipping' ),
			'customer_note'       => $order->get_customer_note(),
			'customer_ip_address' => $order->get_customer_ip_address(),
			'customer_user_agent' => $order->get_customer_user_agent(),
			'total'               => $order->get_total(),
			'date_created_gmt'    => $date( $order->get_date_created() ),
			'date_paid_gmt'       => $date( $order->get_date_paid() ),
			'meta_data'           => $meta( $order ),
			'line_items'          => $items,
		);
	}

	/**
	 * The order's notes in wc/v3's order: its notes controller asks get_comments() (newest first, then the
	 * higher id) with WooCommerce's order-comment exclusion lifted; wc_get_order_notes() orders by id only,
	 * so notes written in the same second came out in another order than REST's.
	 *
	 * @param int $id Order id.
	 * @return array<int, array<string, mixed>>
	 */
	private function notes( int $id ): array {
		if ( ! class_exists( '\WC_REST_Order_Notes_Controller' ) ) {
			return array_map( array( $this, 'note' ), wc_get_order_notes( array( 'order_id' => $id ) ) );
		}
		$lifted = remove_filter( 'comments_clauses', array( 'WC_Comments', 'exclude_order_comments' ), 10 );
		try {
			$comments = get_comments( array( 'post_id' => $id, 'approve' => 'approve', 'type' => 'order_note' ) );
		} finally {
			if ( $lifted ) {
				add_filter( 'comments_clauses', array( 'WC_Comments', 'exclude_order_comments' ), 10, 1 );
			}
		}
		$controller = new \WC_REST_Order_Notes_Controller();
		$out        = array();
		foreach ( (array) $comments as $comment ) {
			$data = $controller->prepare_response_for_collection( $controller->prepare_item_for_response( $comment, new \WP_REST_Request( 'GET' ) ) );
			unset( $data['_links'] );
			$out[] = $data;
		}
		return $out;
	}

	/**
	 * @param \stdClass $note wc_get_order_notes() row.
	 * @return array<string, mixed> wc/v3 order note shape.
	 */
	private function note( $note ): array {
		$comment = class_exists( '\WC_REST_Order_Notes_Controller' ) ? get_comment( (int) $note->id ) : null;
		if ( $comment instanceof \WP_Comment ) {
			// WooCommerce's own wc/v3 shape (its `author` differs from wc_get_order_notes()'s `added_by`).
			$controller = new \WC_REST_Order_Notes_Controller();
			$data       = $controller->prepare_response_for_collection( $controller->prepare_item_for_response( $comment, new \WP_REST_Request( 'GET' ) ) );
			unset( $data['_links'] );
			return $data;
		}
		$at = $note->date_created instanceof \WC_DateTime ? $note->date_created : null;
		return array(
			'id'               => (int) $note->id,
			'author'           => (string) $note->added_by,
			'date_created'     => $at ? wc_rest_prepare_date_response( $at, false ) : null,
			'date_created_gmt' => $at ? wc_rest_prepare_date_response( $at ) : null,
			'note'             => (string) $note->content,
			'customer_note'    => (bool) $note->customer_note,
		);
	}

	/**
	 * @param \WP_User $user Account.
	 * @return array<string, mixed>
	 */
	private function customer( \WP_User $user ): array {
		if ( class_exists( '\WC_REST_Customers_Controller' ) ) {
			// WooCommerce's own wc/v3 shape: dates local and GMT, and meta_data (language, marketing choices).
			$controller = new \WC_REST_Customers_Controller();
			$data       = $controller->prepare_response_for_collection( $controller->prepare_item_for_response( $user, new \WP_REST_Request( 'GET' ) ) );
			unset( $data['_links'] );
			if ( ! isset( $data['meta_data'] ) ) {
				// WooCommerce adds meta_data only for a logged-in administrator; a signed call has no user.
				$data['meta_data'] = $this->customer_meta( new \WC_Customer( $user->ID ) );
			}
			return $data;
		}
		$customer = new \WC_Customer( $user->ID );
		$data     = $customer->get_data();
		unset( $data['meta_data'] );
		foreach ( array( 'date_created', 'date_modified' ) as $key ) {
			$data[ $key ] = $data[ $key ] instanceof \WC_DateTime ? wc_rest_prepare_date_response( $data[ $key ] ) : null;
		}
		$data['id'] = (int) $user->ID;
		return $data;
	}

	/**
	 * @param \WC_Customer $customer Customer.
	 * @return array<int, array{id: int, key: string, value: mixed}> Its meta as wc/v3 shows it (protected keys left out).
	 */
	private function customer_meta( \WC_Customer $customer ): array {
		$out = array();
		foreach ( $customer->get_meta_data() as $meta ) {
			if ( ! is_protected_meta( $meta->key, 'user' ) ) {
				$out[] = array( 'id' => (int) $meta->id, 'key' => (string) $meta->key, 'value' => $meta->value );
			}
		}
		return $out;
	}

	/**
	 * @param int[] $order_ids Every order of the subject.
	 * @param int   $user_id   Account id or 0.
	 * @return array<int, array<string, mixed>>
	 */
	private function bookings( array $order_ids, int $user_id ): array {
		if ( ! Woo::bookings_active() || ( array() === $order_ids && 0 === $user_id ) ) {
			return array();
		}
		$ids = array();
		if ( array() !== $order_ids ) {
			$ids = array_merge( $ids, \WC_Booking_Data_Store::get_booking_ids_by( array( 'object_id' => $order_ids, 'object_type' => 'order', 'limit' => -1 ) ) );
		}
		if ( $user_id > 0 ) {
			$ids = array_merge( $ids, \WC_Booking_Data_Store::get_booking_ids_by( array( 'object_id' => $user_id, 'object_type' => 'customer', 'limit' => -1 ) ) );
		}
		$out = array();
		foreach ( array_unique( array_map( 'intval', $ids ) ) as $id ) {
			$b     = get_wc_booking( $id );
			$out[] = array( 'id' => $id, 'start' => (int) $b->get_start(), 'end' => (int) $b->get_end(), 'status' => (string) $b->get_status(), 'order_id' => (int) $b->get_order_id(), 'customer_id' => (int) $b->get_customer_id(), 'product_id' => (int) $b->get_product_id() );
		}
		return $out;
	}
}

<?php
/**
 * The service's erasure plan, carried out on this site.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use WP_REST_Request;
use WP_REST_Response;

/**
 * POST /privacy-bridge/v1/erase: orders to anonymise (WooCommerce's own anonymiser, then the fields,
 * meta and notes it leaves behind), and the account to delete. Answers item by item what it did. The
 * service decides; this only executes, and every step is safe to repeat.
 */
final class EraseController extends SignedController {

	/** Hooked to `rest_api_init`. */
	public function register_routes(): void {
		$this->signed_route( '/erase', array( $this, 'erase' ), RouteSchemas::get( 'plugin-erase-command' ) );
	}

	/**
	 * @param WP_REST_Request $request Request.
	 */
	public function erase( $request ): WP_REST_Response {
		$items = array();
		foreach ( (array) $request['orders'] as $order ) {
			$items[] = $this->erase_order( (array) $order );
		}
		if ( ! empty( $request['account'] ) ) {
			$items[] = $this->erase_account( (array) $request['account'] );
		}
		return new WP_REST_Response( array( 'requestId' => $request['requestId'] ?? null, 'items' => $items ), 200 );
	}

	/**
	 * @param array<string, mixed> $command One order of the plan.
	 * @return array<string, mixed>
	 */
	private function erase_order( array $command ): array {
		$item = array( 'item' => 'order:' . (int) $command['id'] );
		if ( ! function_exists( 'wc_get_order' ) ) {
			return $item + array( 'result' => 'skipped', 'reason' => 'woocommerce-inactive' );
		}
		$order = wc_get_order( (int) $command['id'] );
		if ( ! $order ) {
			return $item + array( 'result' => 'not-found' );
		}
		$done = array();
		if ( ! empty( $command['anonymise'] ) ) {
			if ( 'yes' === $order->get_meta( '_anonymized' ) ) {
				$done[] = 'already-anonymised';
			} elseif ( class_exists( '\WC_Privacy_Erasers' ) ) {
				\WC_Privacy_Erasers::remove_order_personal_data( $order ); // Also deletes every order note.
				$order  = wc_get_order( (int) $command['id'] );
				$done[] = 'anonymised';
			}
		}
		if ( in_array( 'customer_note', (array) ( $command['fields'] ?? array() ), true ) && '' !== $order->get_customer_note() ) {
			$order->set_customer_note( '' );
			$done[] = 'field:customer_note';
		}
		foreach ( (array) ( $command['metaKeys'] ?? array() ) as $key ) {
			if ( $order->meta_exists( (string) $key ) ) {
				$order->delete_meta_data( (string) $key );
				$done[] = 'meta:' . $key;
			}
		}
		foreach ( $order->get_items() as $line ) {
			foreach ( (array) ( $command['itemMetaKeys'] ?? array() ) as $key ) {
				if ( $line->meta_exists( (string) $key ) ) {
					$line->delete_meta_data( (string) $key );
					$line->save();
					$done[] = 'item-meta:' . $line->get_id() . ':' . $key;
				}
			}
		}
		$order->save();
		foreach ( (array) ( $command['noteIds'] ?? array() ) as $note_id ) {
			$done[] = ( function_exists( 'wc_delete_order_note' ) && wc_delete_order_note( (int) $note_id ) ) ? 'note:' . (int) $note_id : 'note-absent:' . (int) $note_id;
		}
		return $item + array( 'result' => array() === $done ? 'unchanged' : 'done', 'actions' => $done );
	}

	/**
	 * @param array<string, mixed> $command Account part of the plan.
	 * @return array<string, mixed>
	 */
	private function erase_account( array $command ): array {
		$user_id = (int) $command['userId'];
		$item    = array( 'item' => 'user:' . $user_id );
		$user    = get_user_by( 'id', $user_id );
		if ( ! $user ) {
			return $item + array( 'result' => 'not-found' );
		}
		if ( user_can( $user, 'manage_options' ) ) {
			return $item + array( 'result' => 'refused', 'reason' => 'administrator' );
		}
		$done = array();
		foreach ( (array) ( $command['metaKeys'] ?? array() ) as $key ) {
			if ( delete_user_meta( $user_id, (string) $key ) ) {
				$done[] = 'meta:' . $key;
			}
		}
		if ( ! empty( $command['delete'] ) ) {
			require_once ABSPATH . 'wp-admin/includes/user.php';
			$reassign = isset( $command['reassignTo'] ) ? (int) $command['reassignTo'] : null;
			$done[]   = wp_delete_user( $user_id, $reassign ) ? 'deleted' : 'delete-failed';
		}
		return $item + array( 'result' => array() === $done ? 'unchanged' : 'done', 'actions' => $done );
	}
}

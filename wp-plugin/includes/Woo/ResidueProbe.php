<?php
/**
 * The residue check's SQL search: where WooCommerce and WordPress really keep a person's data.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Woo;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce's REST search sees orders by a few fields of wc_orders; it never sees the HPOS placeholder
 * posts' meta, order item meta, notes, reviews, user meta, the customer lookup or sessions. This searches
 * every text column of each of those tables (case-insensitive substring) and answers where a term was
 * found — table, column, row, and the order or user the row belongs to — never the value itself.
 */
final class ResidueProbe {

	/** Rows named at most (the answer says when it was cut). */
	const MAX_HITS = 2000;

	/**
	 * Table (without prefix) => how its rows are named: FROM clause (base table as `t`), row id, order id, user id.
	 * Order posts of every kind, legacy and placeholder alike, and their meta only (other posts are not the shop's orders).
	 *
	 * @return array<string, array{from: string, row: string, order: string, user: string}>
	 */
	private static function tables(): array {
		global $wpdb;
		$p     = $wpdb->prefix;
		$types = "('shop_order', 'shop_order_placehold', 'shop_order_refund')";
		return array(
			'wc_orders'                  => array( 'from' => "{$p}wc_orders t", 'row' => 't.id', 'order' => 't.id', 'user' => 't.customer_id' ),
			'wc_order_addresses'         => array( 'from' => "{$p}wc_order_addresses t", 'row' => 't.id', 'order' => 't.order_id', 'user' => 'NULL' ),
			'wc_orders_meta'             => array( 'from' => "{$p}wc_orders_meta t", 'row' => 't.id', 'order' => 't.order_id', 'user' => 'NULL' ),
			'wc_order_operational_data'  => array( 'from' => "{$p}wc_order_operational_data t", 'row' => 't.id', 'order' => 't.order_id', 'user' => 'NULL' ),
			'posts'                      => array( 'from' => "{$p}posts t WHERE t.post_type IN $types", 'row' => 't.ID', 'order' => 't.ID', 'user' => 'NULL' ),
			'postmeta'                   => array( 'from' => "{$p}postmeta t JOIN {$p}posts o ON o.ID = t.post_id AND o.post_type IN $types", 'row' => 't.meta_id', 'order' => 't.post_id', 'user' => 'NULL' ),
			'wc_customer_lookup'         => array( 'from' => "{$p}wc_customer_lookup t", 'row' => 't.customer_id', 'order' => 'NULL', 'user' => 't.user_id' ),
			'woocommerce_order_items'    => array( 'from' => "{$p}woocommerce_order_items t", 'row' => 't.order_item_id', 'order' => 't.order_id', 'user' => 'NULL' ),
			'woocommerce_order_itemmeta' => array( 'from' => "{$p}woocommerce_order_itemmeta t JOIN {$p}woocommerce_order_items i ON i.order_item_id = t.order_item_id", 'row' => 't.meta_id', 'order' => 'i.order_id', 'user' => 'NULL' ),
			'comments'                   => array( 'from' => "{$p}comments t", 'row' => 't.comment_ID', 'order' => "IF(t.comment_type = 'order_note', t.comment_post_ID, NULL)", 'user' => 'NULLIF(t.user_id, 0)' ),
			'users'                      => array( 'from' => "{$wpdb->users} t", 'row' => 't.ID', 'order' => 'NULL', 'user' => 't.ID' ),
			'usermeta'                   => array( 'from' => "{$wpdb->usermeta} t", 'row' => 't.umeta_id', 'order' => 'NULL', 'user' => 't.user_id' ),
			'woocommerce_sessions'       => array( 'from' => "{$p}woocommerce_sessions t", 'row' => 't.session_id', 'order' => 'NULL', 'user' => "IF(t.session_key REGEXP '^[0-9]+$', t.session_key, NULL)" ),
		);
	}

	/**
	 * @param array<int, array{kind: string, value: string}>                  $terms Terms, validated (3–254 characters).
	 * @param array<int, array{orderId: int, kinds: string[], notes: bool}> $keep  Held orders whose rows are expected:
	 *        for a term of a kept kind in every table but the notes, and in the notes when they are kept.
	 * @return array{hits: array<int, array<string, mixed>>, tables: string[], truncated: bool}
	 */
	public function search( array $terms, array $keep = array() ): array {
		global $wpdb;
		$hits     = array();
		$searched = array();
		foreach ( self::tables() as $name => $spec ) {
			$columns = $this->text_columns( $wpdb->prefix . $name, 'users' === $name ? $wpdb->users : ( 'usermeta' === $name ? $wpdb->usermeta : null ) );
			if ( array() === $columns ) {
				continue; // Not on this site (HPOS off, no sessions table yet).
			}
			$searched[] = $name;
			$joiner     = false === strpos( $spec['from'], ' WHERE ' ) ? ' WHERE ' : ' AND ';
			foreach ( $terms as $index => $term ) {
				$like    = '%' . $wpdb->esc_like( strtolower( (string) $term['value'] ) ) . '%';
				$skipped = $this->kept_orders( $keep, 'comments' === $name ? null : (string) $term['kind'] );
				$unkept  = array() === $skipped ? '' : " AND COALESCE({$spec['order']}, 0) NOT IN (" . implode( ',', $skipped ) . ')';
				foreach ( $columns as $column ) {
					// Table and column names come from information_schema and the fixed list above, never from the request; kept ids are integers.
					$sql  = "SELECT {$spec['row']} AS r, {$spec['order']} AS o, {$spec['user']} AS u FROM {$spec['from']}{$joiner}LOWER(t.`{$column}`) LIKE %s{$unkept} LIMIT " . self::MAX_HITS;
					$rows = $wpdb->get_results( $wpdb->prepare( $sql, $like ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- see above; a search, never cached.
					foreach ( (array) $rows as $row ) {
						if ( count( $hits ) >= self::MAX_HITS ) {
							return array( 'hits' => $hits, 'tables' => $searched, 'truncated' => true );
						}
						$hits[] = array(
							'table'   => $name,
							'column'  => $column,
							'row'     => (string) $row->r,
							'orderId' => null === $row->o ? null : (int) $row->o,
							'userId'  => null === $row->u ? null : (int) $row->u,
							'term'    => (int) $index,
						);
					}
				}
			}
		}
		return array( 'hits' => $hits, 'tables' => $searched, 'truncated' => false );
	}

	/**
	 * @param array<int, array{orderId: int, kinds: string[], notes: bool}> $keep Held orders (see search()).
	 * @param string|null                                                  $kind The term's kind, or null for the notes.
	 * @return int[] The orders whose matching rows the hold keeps.
	 */
	private function kept_orders( array $keep, ?string $kind ): array {
		$ids = array();
		foreach ( $keep as $k ) {
			if ( null === $kind ? $k['notes'] : in_array( $kind, $k['kinds'], true ) ) {
				$ids[] = (int) $k['orderId'];
			}
		}
		return $ids;
	}

	/**
	 * @param string      $table Table with prefix.
	 * @param string|null $real  The table's real name when WordPress maps it (multisite users tables).
	 * @return string[] Its text columns; none when the table is absent.
	 */
	private function text_columns( string $table, ?string $real ): array {
		global $wpdb;
		$cols = $wpdb->get_col( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- schema lookup.
			$wpdb->prepare(
				"SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND DATA_TYPE IN ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext')",
				$real ?? $table
			)
		);
		return array_values( array_filter( array_map( 'strval', (array) $cols ), static function ( string $c ): bool {
			return (bool) preg_match( '/^[A-Za-z0-9_]+$/', $c );
		} ) );
	}
}

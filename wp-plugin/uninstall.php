<?php
/**
 * Removes everything the plugin created, on every site of a network: its options and transients, its
 * two tables, its user, post and order meta, and its scheduled events and Action Scheduler actions.
 *
 * WordPress runs this file with the plugin inactive (its classes unloaded), so every name is spelled
 * out here; test/wordpress/woocommerce-env/uninstall.wcenv.ts checks by SQL that nothing is left.
 * Kept: what WordPress or WooCommerce made (privacy requests, orders, users) and what the service holds.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/** One site's share: every name the plugin gives starts with privacy_bridge_, _privacy_bridge_ or pb_rl_ (and its checkout fields with privacy-bridge/). */
function privacy_bridge_uninstall_site(): void {
	global $wpdb;
	$like = static function ( string $prefix ) use ( $wpdb ): string {
		return $wpdb->esc_like( $prefix ) . '%';
	};

	// Options: settings, banner, policy cache, schema and rewrite versions; transients: paging cursors,
	// erase answers, the connection test, and the banner's rate-limit counters (pb_rl_<hash>).
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- finding our own rows by prefix.
	$options = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s", $like( 'privacy_bridge_' ), $like( '_transient_privacy_bridge_' ), $like( '_transient_timeout_privacy_bridge_' ), $like( '_transient_pb_rl_' ), $like( '_transient_timeout_pb_rl_' ) ) );
	foreach ( $options as $option ) {
		delete_option( $option ); // through the API, so the options cache forgets them too
	}

	// User meta (consent state, accepted policy version) and post meta (privacy-request state, links,
	// receipts; and an order's consent when orders are posts): `privacy_bridge_…` and `_privacy_bridge_…`.
	$meta_keys = static function ( string $table ) use ( $wpdb, $like ): array {
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- core table names.
		return $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT meta_key FROM {$table} WHERE meta_key LIKE %s OR meta_key LIKE %s OR meta_key LIKE %s", $like( 'privacy_bridge_' ), $like( '_privacy_bridge_' ), $like( '_wc_other/privacy-bridge/' ) ) );
	};
	foreach ( $meta_keys( $wpdb->usermeta ) as $key ) {
		delete_metadata( 'user', 0, $key, '', true );
	}
	foreach ( $meta_keys( $wpdb->postmeta ) as $key ) {
		delete_post_meta_by_key( $key );
	}

	// Orders in WooCommerce's own tables (HPOS): the checkout's consent meta.
	$orders_meta = $wpdb->prefix . 'wc_orders_meta';
	if ( $orders_meta === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $orders_meta ) ) ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- WooCommerce's table.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$orders_meta} WHERE meta_key LIKE %s OR meta_key LIKE %s", $like( '_privacy_bridge_' ), $like( '_wc_other/privacy-bridge/' ) ) );
	}

	// WP-Cron: the outbox drain, its five-minute safety net and the policy refresh.
	foreach ( array( 'privacy_bridge_outbox_drain', 'privacy_bridge_outbox_drain_recurring', 'privacy_bridge_refresh_policy' ) as $hook ) {
		wp_clear_scheduled_hook( $hook );
	}
	// Action Scheduler (WooCommerce's): every action of ours, done or pending, with its log lines and group.
	$actions = $wpdb->prefix . 'actionscheduler_actions';
	if ( $actions === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $actions ) ) ) ) { // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		// phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- Action Scheduler's tables.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}actionscheduler_logs WHERE action_id IN (SELECT action_id FROM {$actions} WHERE hook LIKE %s)", $like( 'privacy_bridge_' ) ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$actions} WHERE hook LIKE %s", $like( 'privacy_bridge_' ) ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->prefix}actionscheduler_groups WHERE slug = %s", 'privacy-bridge' ) );
		// phpcs:enable
	}

	// The outbox and the replay table.
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange -- our own tables.
	$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}privacy_bridge_outbox, {$wpdb->prefix}privacy_bridge_seen_messages" );

	// The My Account endpoint's rewrite rule: rebuilt without it (the plugin's hooks are not loaded now).
	flush_rewrite_rules( false );
	// A persistent object cache may still hold orders and users with the meta deleted above by SQL.
	wp_cache_flush();
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $privacy_bridge_site ) {
		switch_to_blog( (int) $privacy_bridge_site );
		privacy_bridge_uninstall_site();
		restore_current_blog();
	}
} else {
	privacy_bridge_uninstall_site();
}

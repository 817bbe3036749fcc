<?php
/**
 * Removes everything the plugin created: its settings, its outbox and its replay table.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;
delete_option( 'privacy_bridge_settings' );
delete_option( 'privacy_bridge_db_version' );
delete_option( 'privacy_bridge_banner' ); // the cookie banner's settings
// The banner's rate-limit counters (transients named pb_rl_<hash>).
$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_pb\\_rl\\_%' OR option_name LIKE '\\_transient\\_timeout\\_pb\\_rl\\_%'" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
wp_clear_scheduled_hook( 'privacy_bridge_outbox_drain' );
// phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange -- our own tables.
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}privacy_bridge_outbox, {$wpdb->prefix}privacy_bridge_seen_messages" );

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
wp_clear_scheduled_hook( 'privacy_bridge_outbox_drain' );
// phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange -- our own tables.
$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}privacy_bridge_outbox, {$wpdb->prefix}privacy_bridge_seen_messages" );

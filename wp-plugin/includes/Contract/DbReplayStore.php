<?php
/**
 * Replay store in a custom table: message ids and their expiry, nothing personal, never in options.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Contract;

defined( 'ABSPATH' ) || exit;

/**
 * `{$wpdb->prefix}privacy_bridge_seen_messages`, primary key (key_id, message_id): the insert is the claim.
 */
final class DbReplayStore implements ReplayStore {

	/** @return string */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'privacy_bridge_seen_messages';
	}

	/** @return string dbDelta SQL. */
	public static function schema( string $charset_collate ): string {
		return 'CREATE TABLE ' . self::table() . " (
  key_id varchar(64) NOT NULL,
  message_id varchar(128) NOT NULL,
  expires_at bigint(20) unsigned NOT NULL,
  PRIMARY KEY  (key_id,message_id),
  KEY expires_at (expires_at)
) $charset_collate;";
	}

	/** @inheritDoc */
	public function claim( string $key_id, string $message_id, int $expires_at ): bool {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- our own table; the insert is atomic.
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE expires_at < %d LIMIT 100", time() ) );
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$inserted = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$table} (key_id, message_id, expires_at) VALUES (%s, %s, %d)", $key_id, $message_id, $expires_at ) );
		return 1 === $inserted;
	}

	/** @inheritDoc */
	public function release( string $key_id, string $message_id ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->delete( self::table(), array( 'key_id' => $key_id, 'message_id' => $message_id ) );
	}
}

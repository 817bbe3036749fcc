<?php
/**
 * The outbox table: undelivered messages, the only place the plugin holds personal data.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * `{$wpdb->prefix}privacy_bridge_outbox`. A row's message id is fixed when it is enqueued and reused on
 * every retry, so the service deduplicates; a delivered row is deleted.
 */
final class OutboxTable {

	/** @return string */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'privacy_bridge_outbox';
	}

	/** @return string dbDelta SQL. */
	public static function schema( string $charset_collate ): string {
		return 'CREATE TABLE ' . self::table() . " (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  message_id varchar(128) NOT NULL,
  kind varchar(64) NOT NULL,
  method varchar(8) NOT NULL,
  path varchar(255) NOT NULL,
  body longtext NOT NULL,
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  next_attempt_at bigint(20) unsigned NOT NULL,
  last_status int(10) unsigned NOT NULL DEFAULT 0,
  last_error varchar(64) NOT NULL DEFAULT '',
  created_at bigint(20) unsigned NOT NULL,
  dead_at bigint(20) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (id),
  UNIQUE KEY message_id (message_id),
  KEY next_attempt_at (next_attempt_at)
) $charset_collate;";
	}

	/**
	 * @param string $message_id Message id.
	 * @param string $kind       What it is (consent, request, admin-action), for the console.
	 * @param string $method     HTTP method.
	 * @param string $path       Service path.
	 * @param string $body       JSON body, signed as is.
	 * @param int    $now        Unix seconds.
	 */
	public function insert( string $message_id, string $kind, string $method, string $path, string $body, int $now ): bool {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return false !== $wpdb->insert(
			self::table(),
			array(
				'message_id'      => $message_id,
				'kind'            => $kind,
				'method'          => $method,
				'path'            => $path,
				'body'            => $body,
				'attempts'        => 0,
				'next_attempt_at' => $now,
				'created_at'      => $now,
			)
		);
	}

	/**
	 * @param int $now   Unix seconds.
	 * @param int $limit Rows.
	 * @return array<int, object{id: string, message_id: string, kind: string, method: string, path: string, body: string, attempts: string}>
	 */
	public function due( int $now, int $limit ): array {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return (array) $wpdb->get_results( $wpdb->prepare( "SELECT id, message_id, kind, method, path, body, attempts FROM {$table} WHERE dead_at = 0 AND next_attempt_at <= %d ORDER BY id LIMIT %d", $now, $limit ) );
	}

	/** @param int $id Row id. */
	public function delete( int $id ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->delete( self::table(), array( 'id' => $id ) );
	}

	/**
	 * @param int    $id       Row id.
	 * @param int    $attempts Attempts so far.
	 * @param int    $next_at  Unix seconds.
	 * @param int    $status   HTTP status (0: no answer).
	 * @param string $error    Error code — never a message that could quote the body.
	 */
	public function failed( int $id, int $attempts, int $next_at, int $status, string $error ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->update(
			self::table(),
			array( 'attempts' => $attempts, 'next_attempt_at' => $next_at, 'last_status' => $status, 'last_error' => substr( $error, 0, 64 ) ),
			array( 'id' => $id )
		);
	}

	/**
	 * The service refused the message itself (it will refuse it again): no more automatic attempts.
	 *
	 * @param int    $id       Row id.
	 * @param int    $attempts Attempts so far.
	 * @param int    $status   HTTP status.
	 * @param string $error    Error code.
	 * @param int    $now      Unix seconds.
	 */
	public function dead( int $id, int $attempts, int $status, string $error, int $now ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->update(
			self::table(),
			array( 'attempts' => $attempts, 'last_status' => $status, 'last_error' => substr( $error, 0, 64 ), 'dead_at' => $now ),
			array( 'id' => $id )
		);
	}

	/**
	 * Deletes refused messages older than `$before`: they hold personal data, and nobody retried them.
	 *
	 * @param int $before Unix seconds.
	 * @return int Rows deleted.
	 */
	public function purge_dead( int $before ): int {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE dead_at > 0 AND dead_at < %d", $before ) );
	}

	/** Makes every waiting row due now, refused ones included ("retry now", after fixing the cause). */
	public function make_all_due( int $now ): int {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return (int) $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_at = %d, dead_at = 0", $now ) );
	}

	/**
	 * Backlog summary for the console: counts and ages, no bodies.
	 *
	 * `count` and the dates are of messages still being retried; `refused` counts those the service
	 * refused (no longer retried), `last_errors` covers both.
	 *
	 * @return array{count: int, refused: int, oldest_created_at: int|null, next_attempt_at: int|null, max_attempts: int, by_kind: array<string, int>, last_errors: array<string, int>}
	 */
	public function stats(): array {
		global $wpdb;
		$table = self::table();
		// phpcs:disable WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$row    = $wpdb->get_row( "SELECT SUM(dead_at = 0) AS n, SUM(dead_at > 0) AS refused, MIN(CASE WHEN dead_at = 0 THEN created_at END) AS oldest, MIN(CASE WHEN dead_at = 0 THEN next_attempt_at END) AS next_at, MAX(attempts) AS max_attempts FROM {$table}" );
		$kinds  = $wpdb->get_results( "SELECT kind, COUNT(*) AS n FROM {$table} GROUP BY kind" );
		$errors = $wpdb->get_results( "SELECT last_error, COUNT(*) AS n FROM {$table} WHERE last_error <> '' GROUP BY last_error" );
		// phpcs:enable
		$by_kind = array();
		foreach ( (array) $kinds as $k ) {
			$by_kind[ (string) $k->kind ] = (int) $k->n;
		}
		$last_errors = array();
		foreach ( (array) $errors as $e ) {
			$last_errors[ (string) $e->last_error ] = (int) $e->n;
		}
		return array(
			'count'             => (int) ( $row->n ?? 0 ),
			'refused'           => (int) ( $row->refused ?? 0 ),
			'oldest_created_at' => isset( $row->oldest ) ? (int) $row->oldest : null,
			'next_attempt_at'   => isset( $row->next_at ) ? (int) $row->next_at : null,
			'max_attempts'      => (int) ( $row->max_attempts ?? 0 ),
			'by_kind'           => $by_kind,
			'last_errors'       => $last_errors,
		);
	}
}

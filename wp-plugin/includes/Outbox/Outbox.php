<?php
/**
 * Messages to the service go here first and are sent from here.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Outbox;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Signer;
use PrivacyBridge\Service\ServiceClient;

/**
 * The service can be down for hours and nothing is lost: a row stays until the service accepts it
 * (2xx) or says it has it already (MESSAGE_REPLAYED), and is retried with exponential back-off.
 * A message the service refuses for what it says (400, 409, 413, 415, 422) would be refused again:
 * it is kept aside, unretried, for an admin to see and retry after fixing the cause, and deleted
 * after REFUSED_KEEP_DAYS, since it holds personal data. Other answers (no answer, 401 signature or
 * clock, 404 older service, 429, 5xx) can change with time or configuration, so they are retried.
 */
class Outbox {

	/** Rows sent per run, so a run stays well inside a cron request. */
	const BATCH = 50;

	/** HTTP statuses that refuse the message itself. */
	const REFUSED = array( 400, 409, 413, 415, 422 );

	/** How long a refused message is kept for an admin to look at. */
	const REFUSED_KEEP_DAYS = 30;

	/**
	 * @var OutboxTable
	 */
	private $table;

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @var Scheduler
	 */
	private $scheduler;

	/**
	 * @param OutboxTable   $table     Storage.
	 * @param ServiceClient $client    Signed client.
	 * @param Scheduler     $scheduler Background runs.
	 */
	public function __construct( OutboxTable $table, ServiceClient $client, Scheduler $scheduler ) {
		$this->table     = $table;
		$this->client    = $client;
		$this->scheduler = $scheduler;
	}

	/**
	 * @param string               $kind    consent | request | admin-action.
	 * @param string               $path    Service path, e.g. '/v1/consents'.
	 * @param array<string, mixed> $payload JSON body.
	 * @return string|null The message id, or null when the row could not be written.
	 */
	public function enqueue( string $kind, string $path, array $payload ): ?string {
		$message_id = Signer::new_message_id();
		$body       = (string) wp_json_encode( $payload );
		if ( ! $this->table->insert( $message_id, $kind, 'POST', $path, $body, time() ) ) {
			return null;
		}
		$this->scheduler->schedule( time() );
		return $message_id;
	}

	/**
	 * Sends what is due. Concurrent runs are serialised by a database lock.
	 *
	 * @return array{sent: int, failed: int, remaining: int}
	 */
	public function drain(): array {
		global $wpdb;
		$result = array( 'sent' => 0, 'failed' => 0, 'remaining' => 0 );
		$lock   = self::lock_name();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		if ( '1' !== (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 0)', $lock ) ) ) {
			return $result;
		}
		try {
			foreach ( $this->table->due( time(), self::BATCH ) as $row ) {
				if ( $this->deliver( $row ) ) {
					++$result['sent'];
				} else {
					++$result['failed'];
				}
			}
		} finally {
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->get_var( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $lock ) );
		}
		$this->table->purge_dead( time() - self::REFUSED_KEEP_DAYS * DAY_IN_SECONDS );
		$stats               = $this->table->stats();
		$result['remaining'] = $stats['count'];
		if ( null !== $stats['next_attempt_at'] ) {
			$this->scheduler->schedule( max( time(), $stats['next_attempt_at'] ) );
		}
		return $result;
	}

	/**
	 * This site's drain lock. MariaDB's named locks are server-wide and one server often holds many sites'
	 * databases: a fixed name would let one site's drain make every other site's skip its turn.
	 */
	private static function lock_name(): string {
		return 'privacy_bridge_outbox_' . substr( md5( DB_NAME . '|' . OutboxTable::table() ), 0, 20 );
	}

	/** "Retry now": everything waiting becomes due and a run is scheduled at once. */
	public function retry_now(): int {
		$n = $this->table->make_all_due( time() );
		$this->scheduler->schedule( time() );
		return $n;
	}

	/**
	 * @param object $row Outbox row.
	 */
	private function deliver( $row ): bool {
		$response = $this->client->send( (string) $row->method, (string) $row->path, (string) $row->body, (string) $row->message_id );
		$status   = is_wp_error( $response ) ? 0 : $response['status'];
		$code     = is_wp_error( $response ) ? $response->get_error_code() : $response['code'];
		// The service answers MESSAGE_REPLAYED when it has this message already: delivered before.
		if ( ( $status >= 200 && $status < 300 ) || ( 401 === $status && 'MESSAGE_REPLAYED' === $code ) ) {
			$this->table->delete( (int) $row->id );
			return true;
		}
		$attempts = (int) $row->attempts + 1;
		if ( in_array( $status, self::REFUSED, true ) ) {
			$this->table->dead( (int) $row->id, $attempts, $status, '' !== $code ? (string) $code : 'http_' . $status, time() );
			return false;
		}
		$this->table->failed( (int) $row->id, $attempts, time() + Backoff::delay( $attempts, wp_rand( 0, 1000000 ) / 1000001 ), $status, '' !== $code ? (string) $code : 'http_' . $status );
		return false;
	}
}

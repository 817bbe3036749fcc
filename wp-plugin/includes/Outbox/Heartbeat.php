<?php
/**
 * The plugin's heartbeat to the service: what its outbox holds, for the operators' status page.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Outbox;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Service\ServiceClient;

/**
 * Sent on the outbox's five-minute WP-Cron event, straight to the service (never queued: a heartbeat that
 * waits in the outbox says nothing). Counts and one age only (the PluginHeartbeat contract), no message.
 */
final class Heartbeat {

	const PATH = '/v1/plugin/heartbeat';

	/**
	 * @var OutboxTable
	 */
	private $table;

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @param OutboxTable   $table  The outbox's table.
	 * @param ServiceClient $client Signed client.
	 */
	public function __construct( OutboxTable $table, ServiceClient $client ) {
		$this->table  = $table;
		$this->client = $client;
	}

	/**
	 * @param array{count: int, refused: int, oldest_created_at: int|null} $stats OutboxTable::stats().
	 * @param int                                                           $now   Unix seconds.
	 * @return array{outbox: array{pending: int, refused: int, oldestAgeSeconds: int|null}}
	 */
	public static function body( array $stats, int $now ): array {
		return array(
			'outbox' => array(
				'pending'          => $stats['count'],
				'refused'          => $stats['refused'],
				'oldestAgeSeconds' => null === $stats['oldest_created_at'] ? null : max( 0, $now - $stats['oldest_created_at'] ),
			),
		);
	}

	/** Whether the service took it. */
	public function send(): bool {
		$answer = $this->client->post( self::PATH, self::body( $this->table->stats(), time() ) );
		return ! is_wp_error( $answer ) && 204 === $answer['status'];
	}
}

<?php
/**
 * In-memory replay store, for the unit tests (tests/unit/bootstrap.php loads it; production never does).
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Tests;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\ReplayStore;

/**
 * Same guarantees as the table-backed store, within one process.
 */
final class MemoryReplayStore implements ReplayStore {

	/**
	 * @var array<string, int>
	 */
	private $seen = array();

	/** @inheritDoc */
	public function claim( string $key_id, string $message_id, int $expires_at ): bool {
		$id = $key_id . ' ' . $message_id;
		if ( isset( $this->seen[ $id ] ) ) {
			return false;
		}
		$this->seen[ $id ] = $expires_at;
		return true;
	}

	/** @inheritDoc */
	public function release( string $key_id, string $message_id ): void {
		unset( $this->seen[ $key_id . ' ' . $message_id ] );
	}
}

<?php
/**
 * In-memory replay store, for tests.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Contract;

defined( 'ABSPATH' ) || exit;

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

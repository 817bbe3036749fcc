<?php
/**
 * Remembers message ids already acted upon.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Contract;

defined( 'ABSPATH' ) || exit;

/**
 * Every implementation guarantees: claim() returns true exactly once per (key id, message id) until
 * the id expires or is released; release() lets the sender's retry of a message that failed through.
 */
interface ReplayStore {

	/**
	 * @param string $key_id     Key that signed.
	 * @param string $message_id Message id.
	 * @param int    $expires_at Unix seconds after which the id may be forgotten.
	 */
	public function claim( string $key_id, string $message_id, int $expires_at ): bool;

	/**
	 * @param string $key_id     Key that signed.
	 * @param string $message_id Message id.
	 */
	public function release( string $key_id, string $message_id ): void;
}

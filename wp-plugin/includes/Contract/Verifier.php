<?php
/**
 * Verifies a signed message from the service.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Contract;

defined( 'ABSPATH' ) || exit;

/**
 * Known key id, timestamp within ±5 minutes, signature over method, path, timestamp, message id and
 * body hash, and a message id not seen before — in that order, so a forged or expired message never
 * reaches the replay store. Pure but for the replay store it is given.
 */
final class Verifier {

	const MISSING  = 'privacy_bridge_signature_missing';
	const INVALID  = 'privacy_bridge_signature_invalid';
	const EXPIRED  = 'privacy_bridge_signature_expired';
	const REPLAYED = 'privacy_bridge_message_replayed';

	/**
	 * @var array<string, string>|callable key id => secret (every key verifies: rotation), or what reads them.
	 */
	private $keys;

	/**
	 * @var ReplayStore
	 */
	private $replays;

	/**
	 * @var callable(): int
	 */
	private $now;

	/**
	 * @param array<string, string>|callable(): array<string, string> $keys    Key id => secret, or what reads them
	 *                                                                     on the first message (a front-end page view never does).
	 * @param ReplayStore                                              $replays Message ids already acted upon.
	 * @param callable(): int                                          $now     Clock, unix seconds.
	 */
	public function __construct( $keys, ReplayStore $replays, callable $now ) {
		$this->keys    = $keys;
		$this->replays = $replays;
		$this->now     = $now;
	}

	/**
	 * @param string                $method  HTTP method.
	 * @param string                $path    Path with query string, as received.
	 * @param array<string, string> $headers Lower-case header name => value.
	 * @param string                $body    Raw body.
	 * @return array{ok: bool, code?: string, key_id?: string, message_id?: string}
	 */
	public function verify( string $method, string $path, array $headers, string $body ): array {
		$key_id     = (string) ( $headers[ Signer::HEADER_KEY_ID ] ?? '' );
		$timestamp  = (string) ( $headers[ Signer::HEADER_TIMESTAMP ] ?? '' );
		$message_id = (string) ( $headers[ Signer::HEADER_MESSAGE_ID ] ?? '' );
		$signature  = (string) ( $headers[ Signer::HEADER_SIGNATURE ] ?? '' );

		if ( ! preg_match( Signer::KEY_ID_PATTERN, $key_id ) || ! preg_match( Signer::TIMESTAMP_PATTERN, $timestamp )
			|| ! preg_match( Signer::MESSAGE_ID_PATTERN, $message_id ) || ! preg_match( Signer::SIGNATURE_PATTERN, $signature ) ) {
			return array( 'ok' => false, 'code' => self::MISSING );
		}
		if ( is_callable( $this->keys ) ) {
			$this->keys = (array) call_user_func( $this->keys );
		}
		if ( ! isset( $this->keys[ $key_id ] ) ) {
			return array( 'ok' => false, 'code' => self::INVALID );
		}
		$now = (int) ( $this->now )();
		if ( abs( $now - (int) $timestamp ) > Signer::MAX_CLOCK_SKEW_SECONDS ) {
			return array( 'ok' => false, 'code' => self::EXPIRED );
		}
		if ( ! Signer::matches( $this->keys[ $key_id ], $method, $path, (int) $timestamp, $message_id, $body, $signature ) ) {
			return array( 'ok' => false, 'code' => self::INVALID );
		}
		// Kept past the window: by then the timestamp check refuses the message anyway.
		if ( ! $this->replays->claim( $key_id, $message_id, $now + 2 * Signer::MAX_CLOCK_SKEW_SECONDS + 60 ) ) {
			return array( 'ok' => false, 'code' => self::REPLAYED );
		}
		return array( 'ok' => true, 'key_id' => $key_id, 'message_id' => $message_id );
	}

	/**
	 * Lets the sender's retry through after a failure on our side.
	 *
	 * @param string $key_id Key id.
	 * @param string $message_id Message id.
	 */
	public function release( string $key_id, string $message_id ): void {
		$this->replays->release( $key_id, $message_id );
	}
}

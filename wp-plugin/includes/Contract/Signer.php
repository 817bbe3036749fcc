<?php
/**
 * The plugin ⇄ service transport, as shared/src/contracts/signed-transport.ts defines it.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Contract;

defined( 'ABSPATH' ) || exit;

/**
 * Pure: no WordPress, no clock. The string to sign is
 * `PB1\nMETHOD\npath\ntimestamp\nmessageId\nsha256hex(body)`; the signature is base64 HMAC-SHA256.
 */
final class Signer {

	const HEADER_KEY_ID     = 'x-pb-key-id';
	const HEADER_TIMESTAMP  = 'x-pb-timestamp';
	const HEADER_MESSAGE_ID = 'x-pb-message-id';
	const HEADER_SIGNATURE  = 'x-pb-signature';

	/** Messages dated further than this from the receiver's clock are refused. */
	const MAX_CLOCK_SKEW_SECONDS = 300;

	const KEY_ID_PATTERN     = '/^[A-Za-z0-9._-]{1,64}$/';
	const MESSAGE_ID_PATTERN = '/^[A-Za-z0-9._-]{8,128}$/';
	const TIMESTAMP_PATTERN  = '/^\d{1,12}$/';
	const SIGNATURE_PATTERN  = '/^[A-Za-z0-9+\/]{43}=$/';

	/**
	 * @param string $method     HTTP method.
	 * @param string $path       Path with query string, as sent.
	 * @param int    $timestamp  Unix seconds.
	 * @param string $message_id Stable across retries of one message.
	 * @param string $body       Exact body bytes ('' when there is none).
	 */
	public static function string_to_sign( string $method, string $path, int $timestamp, string $message_id, string $body ): string {
		return implode( "\n", array( 'PB1', strtoupper( $method ), $path, (string) $timestamp, $message_id, hash( 'sha256', $body ) ) );
	}

	/**
	 * @param string $secret Shared secret of the key that signs.
	 * @param string $method HTTP method.
	 * @param string $path Path with query string.
	 * @param int    $timestamp Unix seconds.
	 * @param string $message_id Message id.
	 * @param string $body Body bytes.
	 */
	public static function sign( string $secret, string $method, string $path, int $timestamp, string $message_id, string $body ): string {
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the contract's encoding.
		return base64_encode( hash_hmac( 'sha256', self::string_to_sign( $method, $path, $timestamp, $message_id, $body ), $secret, true ) );
	}

	/**
	 * Constant-time comparison of a received signature with the expected one.
	 *
	 * @param string $secret Secret.
	 * @param string $method Method.
	 * @param string $path Path.
	 * @param int    $timestamp Timestamp.
	 * @param string $message_id Message id.
	 * @param string $body Body.
	 * @param string $signature Received signature.
	 */
	public static function matches( string $secret, string $method, string $path, int $timestamp, string $message_id, string $body, string $signature ): bool {
		return hash_equals( self::sign( $secret, $method, $path, $timestamp, $message_id, $body ), $signature );
	}

	/**
	 * Headers for an outgoing message.
	 *
	 * @param string $key_id Key id.
	 * @param string $secret Secret.
	 * @param string $method Method.
	 * @param string $path Path.
	 * @param int    $timestamp Timestamp.
	 * @param string $message_id Message id.
	 * @param string $body Body.
	 * @return array<string, string>
	 */
	public static function headers( string $key_id, string $secret, string $method, string $path, int $timestamp, string $message_id, string $body ): array {
		return array(
			self::HEADER_KEY_ID     => $key_id,
			self::HEADER_TIMESTAMP  => (string) $timestamp,
			self::HEADER_MESSAGE_ID => $message_id,
			self::HEADER_SIGNATURE  => self::sign( $secret, $method, $path, $timestamp, $message_id, $body ),
		);
	}

	/** A fresh message id: 32 hex characters. */
	public static function new_message_id(): string {
		return bin2hex( random_bytes( 16 ) );
	}
}

<?php
/**
 * A fixed-window counter in transients (the object cache when there is one).
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

/**
 * Keys are keyed hashes: no address or visitor id is stored in clear.
 */
final class RateLimit {

	/** Counts one hit for `$who`; false once `$limit` hits were counted in the current window. */
	public static function allow( string $who, int $limit, int $window ): bool {
		$slot  = (int) floor( time() / $window );
		$key   = 'pb_rl_' . substr( hash_hmac( 'sha256', $who . '|' . $slot, wp_salt( 'nonce' ) ), 0, 32 );
		$count = (int) get_transient( $key );
		if ( $count >= $limit ) {
			return false;
		}
		set_transient( $key, $count + 1, $window );
		return true;
	}

	/** The client's address as PHP sees it (no proxy header is trusted). */
	public static function address(): string {
		return isset( $_SERVER['REMOTE_ADDR'] ) ? (string) $_SERVER['REMOTE_ADDR'] : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- hashed, never stored.
	}
}

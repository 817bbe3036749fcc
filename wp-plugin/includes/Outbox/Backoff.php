<?php
/**
 * When to try a failed message again.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * Exponential back-off with "equal jitter": half the exponential delay is fixed, half random, so
 * many sites that lost the service at once do not all come back in the same second. Pure.
 */
final class Backoff {

	const BASE_SECONDS = 30;
	const CAP_SECONDS  = 6 * 3600;

	/**
	 * @param int   $attempts Failed attempts so far (1 after the first failure).
	 * @param float $random   A number in [0, 1).
	 * @return int Seconds to wait before the next attempt.
	 */
	public static function delay( int $attempts, float $random ): int {
		$exponent = max( 0, min( $attempts - 1, 20 ) );
		$ceiling  = (int) min( self::CAP_SECONDS, self::BASE_SECONDS * ( 2 ** $exponent ) );
		$half     = intdiv( $ceiling, 2 );
		return $half + (int) floor( max( 0.0, min( $random, 0.999999 ) ) * ( $ceiling - $half + 1 ) );
	}
}

<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Outbox\Backoff;

final class BackoffTest extends TestCase {

	public function test_grows_exponentially_within_jitter_bounds(): void {
		for ( $attempt = 1; $attempt <= 12; $attempt++ ) {
			$ceiling = min( Backoff::CAP_SECONDS, Backoff::BASE_SECONDS * ( 2 ** ( $attempt - 1 ) ) );
			$this->assertSame( intdiv( $ceiling, 2 ), Backoff::delay( $attempt, 0.0 ), "lowest at attempt $attempt" );
			$this->assertSame( $ceiling, Backoff::delay( $attempt, 0.9999999 ), "highest at attempt $attempt" );
		}
		$this->assertSame( 15, Backoff::delay( 1, 0.0 ) );
		$this->assertSame( 60, Backoff::delay( 3, 0.0 ) );
	}

	public function test_is_capped_at_six_hours_however_many_attempts(): void {
		$this->assertSame( Backoff::CAP_SECONDS, Backoff::delay( 1000, 0.9999999 ) );
		$this->assertGreaterThanOrEqual( Backoff::CAP_SECONDS / 2, Backoff::delay( PHP_INT_MAX, 0.5 ) );
	}

	public function test_jitter_spreads_retries(): void {
		$delays = array();
		for ( $i = 0; $i < 100; $i++ ) {
			$delays[] = Backoff::delay( 6, $i / 100 );
		}
		$this->assertGreaterThan( 50, count( array_unique( $delays ) ) );
		$this->assertSame( $delays, array_values( array_filter( $delays, static function ( $d ) { return $d >= 480 && $d <= 960; } ) ) );
	}

	public function test_a_service_down_for_hours_is_retried_about_once_per_six_hours_at_worst(): void {
		$elapsed = 0;
		$tries   = 0;
		while ( $elapsed < 24 * 3600 ) {
			$elapsed += Backoff::delay( ++$tries, 1.0 );
		}
		$this->assertLessThan( 20, $tries, 'no hammering' );
		$this->assertGreaterThan( 8, $tries, 'keeps trying' );
	}
}

<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Account\Format;

/**
 * Dates on the privacy tab as people write them, in the shop's time zone, 24-hour.
 */
final class AccountFormatTest extends TestCase {

	public function test_albanian_and_english_dates_in_tirana_time(): void {
		$zone = new DateTimeZone( 'Europe/Tirane' );
		$at   = ( new DateTimeImmutable( '2026-12-02T14:05:00Z' ) )->getTimestamp();
		$this->assertSame( '2 dhjetor 2026, 15:05', Format::date( $at, 'sq', $zone ) );
		$this->assertSame( '2 December 2026, 15:05', Format::date( $at, 'en', $zone ) );
		$this->assertSame( '2 dhjetor 2026', Format::date( $at, 'sq', $zone, false ) );
		$this->assertSame( '14 gusht 2026, 00:30', Format::date( ( new DateTimeImmutable( '2026-08-13T22:30:00Z' ) )->getTimestamp(), 'sq', $zone ) );
	}

	public function test_iso_values_from_the_service(): void {
		$zone = new DateTimeZone( 'Europe/Tirane' );
		$this->assertSame( '31 janar 2027', Format::iso( '2027-01-31', 'sq', $zone ) );
		$this->assertSame( '1 mars 2027, 09:00', Format::iso( '2027-03-01T08:00:00.000Z', 'sq', $zone ) );
		$this->assertSame( '', Format::iso( null, 'sq', $zone ) );
		$this->assertSame( '', Format::iso( 'not a date', 'en', $zone ) );
	}
}

<?php
/**
 * Dates as people write them: "2 dhjetor 2026, 15:05" in Albanian, "2 December 2026, 15:05" in English.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Account;

defined( 'ABSPATH' ) || exit;

use DateTimeImmutable;
use DateTimeZone;

/**
 * Pure. Month names are here rather than from WordPress's locale, which has them only when core's
 * Albanian language pack is installed; Albanian writes months in lower case. Always 24-hour.
 */
final class Format {

	const MONTHS = array(
		'sq' => array( 'janar', 'shkurt', 'mars', 'prill', 'maj', 'qershor', 'korrik', 'gusht', 'shtator', 'tetor', 'nëntor', 'dhjetor' ),
		'en' => array( 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December' ),
	);

	/**
	 * @param int          $timestamp Unix seconds.
	 * @param string       $language  'sq' | 'en' (anything else: 'en').
	 * @param DateTimeZone $zone      The shop's time zone.
	 * @param bool         $with_time Add ", HH:MM".
	 */
	public static function date( int $timestamp, string $language, DateTimeZone $zone, bool $with_time = true ): string {
		$at     = ( new DateTimeImmutable( '@' . $timestamp ) )->setTimezone( $zone );
		$months = self::MONTHS[ 'sq' === $language ? 'sq' : 'en' ];
		$day    = (int) $at->format( 'j' ) . ' ' . $months[ (int) $at->format( 'n' ) - 1 ] . ' ' . $at->format( 'Y' );
		return $with_time ? $day . ', ' . $at->format( 'H:i' ) : $day;
	}

	/**
	 * An ISO-8601 instant or date from the service, or '' when it is not one.
	 *
	 * @param mixed        $iso      Value.
	 * @param string       $language Language.
	 * @param DateTimeZone $zone     Zone.
	 */
	public static function iso( $iso, string $language, DateTimeZone $zone ): string {
		if ( ! is_string( $iso ) || '' === $iso ) {
			return '';
		}
		$ts = strtotime( $iso );
		if ( false === $ts ) {
			return '';
		}
		return self::date( $ts, $language, $zone, 10 !== strlen( $iso ) );
	}
}

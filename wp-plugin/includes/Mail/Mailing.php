<?php
/**
 * Wires marketing mail and the unsubscribe page, and loads the public functions.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Mail;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Service\ServiceClient;

/**
 * One call from Plugin.php; the public functions reach the instance through instance().
 */
final class Mailing {

	/**
	 * @var MarketingMail|null
	 */
	private static $mail;

	/**
	 * @param ServiceClient $client Signed client.
	 */
	public static function register( ServiceClient $client ): void {
		self::$mail = new MarketingMail( $client );
		self::$mail->register();
		( new UnsubscribePage() )->register();
		require_once __DIR__ . '/functions.php';
	}

	/** The marketing mail service. */
	public static function instance(): MarketingMail {
		if ( null === self::$mail ) {
			self::$mail = new MarketingMail( new ServiceClient() );
		}
		return self::$mail;
	}
}

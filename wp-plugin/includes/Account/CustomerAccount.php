<?php
/**
 * Wires the My Account privacy tab.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Account;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Outbox\Outbox;
use PrivacyBridge\Privacy\Consents;
use PrivacyBridge\Service\ServiceClient;

/**
 * One call from Plugin.php.
 */
final class CustomerAccount {

	/**
	 * @param ServiceClient $client   Signed client.
	 * @param Consents      $consents Consent recording.
	 * @param Outbox        $outbox   Outbox.
	 */
	public static function register( ServiceClient $client, Consents $consents, Outbox $outbox ): void {
		( new PrivacyEndpoint( new PrivacyPage( new AccountReader( $client ) ), new AccountActions( $consents, $outbox ) ) )->register();
	}
}

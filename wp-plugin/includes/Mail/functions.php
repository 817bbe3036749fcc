<?php
/**
 * The plugin's public marketing-mail API for other plugins and themes.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

defined( 'ABSPATH' ) || exit;

if ( ! function_exists( 'privacy_bridge_unsubscribe_url' ) ) {
	/**
	 * A one-click unsubscribe link for one address ('' when the service cannot issue one). Filter:
	 * `privacy_bridge_unsubscribe_url` ( $url, $email ).
	 *
	 * @param string $email Address.
	 */
	function privacy_bridge_unsubscribe_url( string $email ): string {
		$url = PrivacyBridge\Mail\Mailing::instance()->unsubscribe_url( $email );
		return (string) apply_filters( 'privacy_bridge_unsubscribe_url', $url, $email );
	}
}

if ( ! function_exists( 'privacy_bridge_send_marketing_mail' ) ) {
	/**
	 * wp_mail() for marketing: not sent to a suppressed address, else sent with RFC 8058 headers.
	 *
	 * @param string          $to      One address.
	 * @param string          $subject Subject.
	 * @param string          $message Body.
	 * @param string|string[] $headers Extra headers.
	 */
	function privacy_bridge_send_marketing_mail( string $to, string $subject, string $message, $headers = array() ): bool {
		$lines   = PrivacyBridge\Mail\MarketingMail::header_lines( $headers );
		$lines[] = 'X-Privacy-Bridge-Marketing: 1';
		return wp_mail( $to, $subject, $message, $lines );
	}
}

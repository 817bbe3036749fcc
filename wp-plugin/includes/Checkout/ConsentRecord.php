<?php
/**
 * The RecordConsent a checkout sends, and the consent id the service will file it under.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

/**
 * Pure: no WordPress. The service derives an event id from the message id it receives
 * (service/src/consent/links.ts eventIdOf over `plugin/<message id>`), so the order can name its
 * consent before the service has seen it.
 */
final class ConsentRecord {

	/** @param string $message_id The outbox message id. */
	public static function event_id( string $message_id ): string {
		return substr( hash( 'sha256', "consent\nplugin/" . $message_id ), 0, 32 );
	}

	/** Whether the service's e-mail rule (contracts/record-consent.json) takes this address. */
	public static function email_ok( string $email ): bool {
		return strlen( $email ) <= 254 && 1 === preg_match( "/^(?:[A-Za-z0-9_'+\\-]+\\.)*[A-Za-z0-9_'+\\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}$/", $email );
	}

	/** 'sq' or 'en' from a WordPress locale. */
	public static function language( string $locale ): string {
		return 0 === strpos( $locale, 'sq' ) ? 'sq' : 'en';
	}

	/**
	 * @param array{email: string, user_id: int} $who      Billing e-mail and customer id (0 for a guest).
	 * @param array<int, array<string, string>>  $decisions Decisions.
	 * @param array{policy_version: string, order_id: int, gpc: bool, locale: string, at: int, source?: string} $context What else the record says.
	 * @return array<string, mixed>|null Null when there is no one to file it under.
	 */
	public static function build( array $who, array $decisions, array $context ): ?array {
		$subject = array();
		$email   = trim( $who['email'] );
		if ( '' !== $email && self::email_ok( $email ) ) {
			$subject['email'] = $email;
		}
		if ( $who['user_id'] > 0 ) {
			$subject['wpUserId'] = $who['user_id'];
		}
		if ( array() === $subject ) {
			return null;
		}
		$record = array(
			'subject'       => $subject,
			'source'        => $context['source'] ?? 'checkout',
			'decisions'     => $decisions,
			'policyVersion' => $context['policy_version'],
			'gpc'           => $context['gpc'],
			'locale'        => self::language( $context['locale'] ),
			'at'            => gmdate( 'Y-m-d\TH:i:s\Z', $context['at'] ),
		);
		if ( $context['order_id'] > 0 ) {
			$record['orderId'] = $context['order_id'];
		}
		return $record;
	}
}

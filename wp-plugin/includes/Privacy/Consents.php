<?php
/**
 * Records a consent decision: into the outbox, then to the service's POST /v1/consents.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Privacy;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Schemas;
use PrivacyBridge\Outbox\Outbox;
use WP_Error;

/**
 * Other parts of the site call `do_action( 'privacy_bridge_record_consent', $record )` with a
 * RecordConsent (shared/src/contracts/consent.ts); it is validated against the generated schema
 * before it is queued, so the outbox never holds a message the service would refuse.
 */
final class Consents {

	const INVALID = 'privacy_bridge_consent_invalid';

	/**
	 * @var Outbox
	 */
	private $outbox;

	/**
	 * @param Outbox $outbox Outbox.
	 */
	public function __construct( Outbox $outbox ) {
		$this->outbox = $outbox;
	}

	/**
	 * @param array<string, mixed> $record RecordConsent.
	 * @return string|WP_Error The message id.
	 */
	public function record( array $record ) {
		$schema = Schemas::get( 'record-consent' );
		if ( null !== $schema ) {
			$valid = Schemas::validate( $record, $schema );
			if ( is_wp_error( $valid ) ) {
				return new WP_Error( self::INVALID, __( 'The consent record is not valid.', 'privacy-bridge' ) );
			}
		}
		$message_id = $this->outbox->enqueue( 'consent', '/v1/consents', $record );
		return null === $message_id ? new WP_Error( self::INVALID, __( 'The consent could not be queued.', 'privacy-bridge' ) ) : $message_id;
	}
}

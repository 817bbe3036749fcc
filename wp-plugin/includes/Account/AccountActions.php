<?php
/**
 * What a customer can do from the privacy tab: marketing on/off, export, erasure, correction, re-consent.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Account;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Checkout\ConsentRecord;
use PrivacyBridge\Checkout\OrderConsent;
use PrivacyBridge\Checkout\PolicyCache;
use PrivacyBridge\Contract\Schemas;
use PrivacyBridge\Outbox\Outbox;
use PrivacyBridge\Privacy\Consents;
use WP_User;

/**
 * Every action is one POST with a nonce, answered by a redirect back to the tab with a result code
 * (`pb_done`), so a reload never repeats it. Export and erasure become WordPress privacy requests,
 * whose confirmation e-mail proves the address; a correction becomes a rectification request (the
 * logged-in account is the identity check), sent through the outbox.
 */
final class AccountActions {

	const NONCE  = 'privacy_bridge_account';
	const FIELD  = 'privacy_bridge_action';
	const FIELDS = array( 'first_name', 'last_name', 'address_1', 'city', 'postcode', 'phone' );

	/**
	 * @var Consents
	 */
	private $consents;

	/**
	 * @var Outbox
	 */
	private $outbox;

	/**
	 * @param Consents $consents Consent recording.
	 * @param Outbox   $outbox   Outbox (a marketing change is sent at once, not at the next run).
	 */
	public function __construct( Consents $consents, Outbox $outbox ) {
		$this->consents = $consents;
		$this->outbox   = $outbox;
	}

	/** Hooked to `template_redirect`. */
	public function handle(): void {
		if ( ! isset( $_SERVER['REQUEST_METHOD'] ) || 'POST' !== $_SERVER['REQUEST_METHOD'] || ! isset( $_POST[ self::FIELD ] ) || ! is_user_logged_in() ) {
			return;
		}
		check_admin_referer( self::NONCE );
		$action = sanitize_key( wp_unslash( $_POST[ self::FIELD ] ) );
		$user   = wp_get_current_user();
		$done   = $this->run( $action, $user, wp_unslash( $_POST ) );
		wp_safe_redirect( add_query_arg( 'pb_done', rawurlencode( $done ), wc_get_account_endpoint_url( PrivacyEndpoint::KEY ) ) );
		exit;
	}

	/**
	 * @param string               $action What was pressed.
	 * @param WP_User              $user   The customer.
	 * @param array<string, mixed> $post   The form (unslashed).
	 * @return string Result code for the notice.
	 */
	public function run( string $action, WP_User $user, array $post ): string {
		switch ( $action ) {
			case 'marketing-grant':
			case 'marketing-deny':
				return $this->marketing( $user, 'marketing-grant' === $action ) ? $action : 'failed';
			case 'reconsent':
				return $this->reconsent( $user, ! empty( $post['marketing_granted'] ) ) ? 'reconsent' : 'failed';
			case 'export':
				return $this->user_request( $user, 'export_personal_data' );
			case 'erase':
				return $this->user_request( $user, 'remove_personal_data' );
			case 'correct':
				return $this->correction( $user, $post );
		}
		return 'failed';
	}

	/**
	 * Records the decision and sends it at once, so the suppression check answers accordingly.
	 *
	 * @param WP_User $user    Customer.
	 * @param bool    $granted Given or withdrawn.
	 */
	public function marketing( WP_User $user, bool $granted ): bool {
		$ok = $this->record( $user, $granted );
		if ( $ok ) {
			$this->outbox->drain();
		}
		return $ok;
	}

	/**
	 * Accepting a new material policy version: recorded against it, marketing as it stands.
	 *
	 * @param WP_User $user    Customer.
	 * @param bool    $granted Marketing's current state.
	 */
	public function reconsent( WP_User $user, bool $granted ): bool {
		if ( ! $this->record( $user, $granted ) ) {
			return false;
		}
		update_user_meta( $user->ID, OrderConsent::USER_VERSION, PolicyCache::current()['version'] );
		$this->outbox->drain();
		return true;
	}

	/**
	 * @param WP_User $user    Customer.
	 * @param bool    $granted Marketing.
	 */
	private function record( WP_User $user, bool $granted ): bool {
		$record = ConsentRecord::build(
			array(
				'email'   => (string) $user->user_email,
				'user_id' => (int) $user->ID,
			),
			array(
				array(
					'purpose'  => 'marketing',
					'decision' => $granted ? 'granted' : 'denied',
				),
			),
			array(
				'policy_version' => PolicyCache::current()['version'],
				'order_id'       => 0,
				'gpc'            => false,
				'locale'         => determine_locale(),
				'at'             => time(),
				'source'         => 'account-page',
			)
		);
		return null !== $record && ! is_wp_error( $this->consents->record( $record ) );
	}

	/**
	 * A pending WordPress privacy request and its confirmation e-mail.
	 *
	 * @param WP_User $user   Customer.
	 * @param string  $action export_personal_data | remove_personal_data.
	 */
	private function user_request( WP_User $user, string $action ): string {
		$id = wp_create_user_request( (string) $user->user_email, $action, array(), 'pending' );
		if ( is_wp_error( $id ) ) {
			return 'duplicate_request' === $id->get_error_code() ? 'request-exists' : 'failed';
		}
		wp_send_user_request( (int) $id );
		return 'export_personal_data' === $action ? 'export-sent' : 'erase-sent';
	}

	/**
	 * The changed fields, validated against the service's contract before they are queued.
	 *
	 * @param WP_User              $user Customer.
	 * @param array<string, mixed> $post Form.
	 */
	private function correction( WP_User $user, array $post ): string {
		$corrections = self::corrections( $post );
		if ( array() === $corrections ) {
			return 'correct-empty';
		}
		$body = array(
			'kind'        => 'rectification',
			'email'       => (string) $user->user_email,
			'identity'    => array(
				'verified' => true,
				'method'   => 'logged-in-account',
			),
			'corrections' => $corrections,
			'locale'      => ConsentRecord::language( determine_locale() ),
		);
		if ( true !== Schemas::validate( $body, (array) Schemas::get( 'create-dsr-request' ) ) ) {
			return 'correct-invalid';
		}
		return null !== $this->outbox->enqueue( 'request', '/v1/requests', $body ) ? 'correct-sent' : 'failed';
	}

	/**
	 * The non-empty correction fields of a form, trimmed.
	 *
	 * @param array<string, mixed> $post Form.
	 * @return array<string, string>
	 */
	public static function corrections( array $post ): array {
		$out = array();
		foreach ( self::FIELDS as $field ) {
			$value = isset( $post[ 'pb_' . $field ] ) && is_string( $post[ 'pb_' . $field ] ) ? trim( sanitize_text_field( $post[ 'pb_' . $field ] ) ) : '';
			if ( '' !== $value ) {
				$out[ $field ] = $value;
			}
		}
		return $out;
	}
}

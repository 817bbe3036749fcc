<?php
/**
 * Tools → Export/Erase Personal Data get the ledger's data and the service's decisions too.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Privacy;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Service\ServiceClient;
use WP_Error;

/**
 * WordPress pages exporters and erasers by number; the service pages by an opaque cursor, and bounds
 * each exporter page in items and bytes (WordPress re-saves everything gathered so far into one post
 * meta row after every page: pages of megabytes went past MariaDB's max_allowed_packet and lost items
 * from the ZIP while reporting success). Labels come in the person's language. Page N+1
 * asks with the cursor page N returned (kept for an hour under a keyed hash of the address, never the
 * address), so an erasure that shrinks the set as it goes never skips anything — WooCommerce's order
 * eraser pages by offset over a shrinking set and leaves half of a large customer's orders per run.
 */
final class PersonalData {

	const ID = 'privacy-bridge';

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @param ServiceClient $client Signed client.
	 */
	public function __construct( ServiceClient $client ) {
		$this->client = $client;
	}

	/**
	 * Hooked by Plugin to `wp_privacy_personal_data_exporters`.
	 *
	 * @param array<string, mixed> $exporters Exporters.
	 * @return array<string, mixed>
	 */
	public function add_exporter( $exporters ): array {
		$exporters              = is_array( $exporters ) ? $exporters : array();
		$exporters[ self::ID ] = array(
			'exporter_friendly_name' => __( 'Privacy ledger (Privacy Bridge)', 'privacy-bridge' ),
			'callback'               => array( $this, 'export' ),
		);
		return $exporters;
	}

	/**
	 * @param array<string, mixed> $erasers Erasers.
	 * @return array<string, mixed>
	 */
	public function add_eraser( $erasers ): array {
		$erasers              = is_array( $erasers ) ? $erasers : array();
		$erasers[ self::ID ] = array(
			'eraser_friendly_name' => __( 'Privacy ledger (Privacy Bridge)', 'privacy-bridge' ),
			'callback'             => array( $this, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * @param string $email Address.
	 * @param int    $page  1-based page.
	 * @return array{data: array<int, mixed>, done: bool}|WP_Error
	 */
	public function export( $email, $page = 1 ) {
		$answer = $this->call( '/v1/privacy-tools/export', (string) $email, (int) $page, array( 'locale' => self::language_of( (string) $email ) ) );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		$data = array();
		foreach ( (array) ( $answer['groups'] ?? array() ) as $group ) {
			$data[] = array(
				'group_id'          => 'privacy-bridge-' . sanitize_key( (string) ( $group['groupId'] ?? 'ledger' ) ),
				'group_label'       => (string) ( $group['groupLabel'] ?? __( 'Privacy ledger', 'privacy-bridge' ) ),
				'group_description' => (string) ( $group['groupDescription'] ?? '' ),
				'item_id'           => (string) ( $group['itemId'] ?? '' ),
				'data'              => array_map(
					static function ( $pair ) {
						return array( 'name' => (string) ( $pair['name'] ?? '' ), 'value' => (string) ( $pair['value'] ?? '' ) );
					},
					(array) ( $group['data'] ?? array() )
				),
			);
		}
		return array( 'data' => $data, 'done' => null === ( $answer['nextCursor'] ?? null ) );
	}

	/**
	 * @param string $email Address.
	 * @param int    $page  1-based page.
	 * @return array{items_removed: bool, items_retained: bool, messages: string[], done: bool}|WP_Error
	 */
	public function erase( $email, $page = 1 ) {
		$answer = $this->call( '/v1/privacy-tools/erase', (string) $email, (int) $page );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		return array(
			'items_removed'  => ! empty( $answer['itemsRemoved'] ),
			'items_retained' => ! empty( $answer['itemsRetained'] ),
			'messages'       => array_map( 'strval', (array) ( $answer['messages'] ?? array() ) ),
			'done'           => null === ( $answer['nextCursor'] ?? null ),
		);
	}

	/**
	 * The person's language for the ledger's labels: their account's, else the site's ('sq' or 'en').
	 *
	 * @param string $email Address.
	 */
	public static function language_of( string $email ): string {
		$user   = get_user_by( 'email', $email );
		$locale = $user ? get_user_locale( $user ) : get_locale();
		return 0 === strpos( $locale, 'sq' ) ? 'sq' : 'en';
	}

	/**
	 * @param string               $path  Service path.
	 * @param string               $email Address.
	 * @param int                  $page  Page.
	 * @param array<string, mixed> $extra More of the body (the exporter's locale).
	 * @return array<string, mixed>|WP_Error
	 */
	private function call( string $path, string $email, int $page, array $extra = array() ) {
		$slot   = 'privacy_bridge_cur_' . substr( hash_hmac( 'sha256', strtolower( $email ) . $path, wp_salt( 'nonce' ) ), 0, 32 );
		$cursor = $page > 1 ? get_transient( $slot . '_' . $page ) : null;
		if ( $page > 1 && false === $cursor ) {
			return new WP_Error( 'privacy_bridge_cursor_lost', __( 'The paging cursor expired. Please start again.', 'privacy-bridge' ) );
		}
		$response = $this->client->post( $path, array_merge( array( 'email' => $email, 'cursor' => $cursor ), $extra ) );
		if ( is_wp_error( $response ) || $response['status'] >= 300 || ! is_array( $response['body'] ) ) {
			return new WP_Error( 'privacy_bridge_service_unavailable', __( 'The Privacy Bridge service did not answer. Please try again later.', 'privacy-bridge' ) );
		}
		$next = $response['body']['nextCursor'] ?? null;
		if ( null !== $next ) {
			set_transient( $slot . '_' . ( $page + 1 ), (string) $next, HOUR_IN_SECONDS );
		}
		return $response['body'];
	}
}

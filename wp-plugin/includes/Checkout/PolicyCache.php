<?php
/**
 * The privacy policy version in effect, as the service last said, kept in an option.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Service\ServiceClient;

/**
 * Checkout never waits for the service: it reads the option. The option is refreshed in the
 * background (the outbox's runs and a single event when it is older than STALE_AFTER seconds).
 * Without any known version, consents are recorded against `none`, as the service allows.
 */
final class PolicyCache {

	const OPTION      = 'privacy_bridge_policy';
	const HOOK        = 'privacy_bridge_refresh_policy';
	const STALE_AFTER = 3600;
	const NONE        = 'none';

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

	/** @return array{version: string, sha256: string, material: bool, effective: string, fetched_at: int} */
	public static function current(): array {
		$stored = get_option( self::OPTION, array() );
		return self::normalise( is_array( $stored ) ? $stored : array() );
	}

	/**
	 * @param array<string, mixed> $stored What the option holds.
	 * @return array{version: string, sha256: string, material: bool, effective: string, fetched_at: int}
	 */
	public static function normalise( array $stored ): array {
		$version = isset( $stored['version'] ) && is_string( $stored['version'] ) && 1 === preg_match( '/^[A-Za-z0-9._-]{1,64}$/', $stored['version'] ) ? $stored['version'] : self::NONE;
		$sha256  = isset( $stored['sha256'] ) && is_string( $stored['sha256'] ) && 1 === preg_match( '/^[0-9a-f]{64}$/', $stored['sha256'] ) ? $stored['sha256'] : str_repeat( '0', 64 );
		return array(
			'version'    => $version,
			'sha256'     => self::NONE === $version ? str_repeat( '0', 64 ) : $sha256,
			'material'   => ! empty( $stored['material'] ),
			'effective'  => isset( $stored['effective'] ) && is_string( $stored['effective'] ) ? $stored['effective'] : '',
			'fetched_at' => isset( $stored['fetched_at'] ) ? (int) $stored['fetched_at'] : 0,
		);
	}

	/** The page people read the policy on: WordPress's privacy policy page, else the home page. */
	public static function url(): string {
		$url = function_exists( 'get_privacy_policy_url' ) ? get_privacy_policy_url() : '';
		return '' !== $url ? $url : home_url( '/' );
	}

	/** Asks for a background refresh when the stored version is old; never waits for it. */
	public function refresh_later_if_stale(): void {
		if ( time() - self::current()['fetched_at'] > self::STALE_AFTER && ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_single_event( time(), self::HOOK );
		}
	}

	/** GET /v1/policy/current; keeps the last good answer when the service is away. */
	public function refresh(): bool {
		$answer = $this->client->get( '/v1/policy/current' );
		if ( is_wp_error( $answer ) || 200 !== $answer['status'] || ! is_array( $answer['body'] ) ) {
			return false;
		}
		$fresh = self::normalise( $answer['body'] );
		if ( self::NONE === $fresh['version'] ) {
			return false;
		}
		$fresh['fetched_at'] = time();
		update_option( self::OPTION, $fresh, true );
		return true;
	}
}

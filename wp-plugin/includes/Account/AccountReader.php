<?php
/**
 * The privacy tab's reads from the service, signed: at most two calls per page view, whatever the orders.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Account;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Service\ServiceClient;

/**
 * Each method answers null when the service is away or refuses: the page then says so instead of
 * showing stale or invented state.
 */
final class AccountReader {

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
	 * Consent state, history with receipt paths, and the ids of orders filed under the person.
	 *
	 * @param string $email   Account e-mail.
	 * @param int    $user_id WordPress user id.
	 * @return array<string, mixed>|null
	 */
	public function consents( string $email, int $user_id ): ?array {
		return $this->post(
			'/v1/account/consents',
			array(
				'email'    => $email,
				'wpUserId' => $user_id,
			)
		);
	}

	/**
	 * The person's requests as the service has them.
	 *
	 * @param string $email Account e-mail.
	 * @return array<string, mixed>|null
	 */
	public function requests( string $email ): ?array {
		return $this->post( '/v1/account/requests', array( 'email' => $email ) );
	}

	/**
	 * What an erasure would keep and why, now.
	 *
	 * @param string $email    Account e-mail.
	 * @param string $language 'sq' | 'en'.
	 * @return array<string, mixed>|null
	 */
	public function erasure_preview( string $email, string $language ): ?array {
		return $this->post(
			'/v1/account/erasure-preview',
			array(
				'email'  => $email,
				'locale' => $language,
			)
		);
	}

	/**
	 * @param string               $path Path.
	 * @param array<string, mixed> $body Body.
	 * @return array<string, mixed>|null
	 */
	private function post( string $path, array $body ): ?array {
		$answer = $this->client->post( $path, $body );
		if ( is_wp_error( $answer ) || 200 !== $answer['status'] || ! is_array( $answer['body'] ) ) {
			return null;
		}
		return $answer['body'];
	}
}

<?php
/**
 * Signed HTTP client for the Privacy Bridge service.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Service;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Signer;
use PrivacyBridge\Settings;
use WP_Error;

/**
 * Every request is signed with the first configured key and goes through wp_safe_remote_request(),
 * so WordPress's SSRF guard applies to everything but the one URL Http\AllowServiceUrl lets through.
 */
class ServiceClient {

	const NOT_CONFIGURED = 'privacy_bridge_not_configured';
	const UNREACHABLE    = 'privacy_bridge_service_unreachable';

	/**
	 * @param string      $path       Path under the service URL, starting with '/', query string included.
	 * @param string|null $message_id Stable id for a retried message; a fresh one otherwise.
	 * @return array{status: int, body: mixed, code: string}|WP_Error
	 */
	public function get( string $path, ?string $message_id = null ) {
		return $this->send( 'GET', $path, '', $message_id );
	}

	/**
	 * @param string               $path       Path.
	 * @param array<string, mixed> $payload    JSON body.
	 * @param string|null          $message_id Message id.
	 * @return array{status: int, body: mixed, code: string}|WP_Error
	 */
	public function post( string $path, array $payload, ?string $message_id = null ) {
		return $this->send( 'POST', $path, (string) wp_json_encode( $payload ), $message_id );
	}

	/**
	 * Sends exact bytes (the outbox stores the body it will sign, so a retry signs the same bytes).
	 *
	 * @param string      $method     HTTP method.
	 * @param string      $path       Path.
	 * @param string      $body       Body bytes.
	 * @param string|null $message_id Message id.
	 * @return array{status: int, body: mixed, code: string}|WP_Error
	 */
	public function send( string $method, string $path, string $body, ?string $message_id = null ) {
		$keys = Settings::keys();
		$base = Settings::service_url();
		if ( '' === $base || array() === $keys ) {
			return new WP_Error( self::NOT_CONFIGURED, __( 'The Privacy Bridge service is not configured.', 'privacy-bridge' ) );
		}
		$key_id     = (string) array_key_first( $keys );
		$message_id = $message_id ?? Signer::new_message_id();
		$full_path  = ( (string) wp_parse_url( $base, PHP_URL_PATH ) ) . $path;
		$headers    = Signer::headers( $key_id, $keys[ $key_id ], $method, $full_path, time(), $message_id, $body );
		if ( '' !== $body ) {
			$headers['content-type'] = 'application/json';
		}
		$response = wp_safe_remote_request(
			$base . $path,
			array(
				'method'      => $method,
				'headers'     => $headers,
				'body'        => '' === $body ? null : $body,
				'timeout'     => 15,
				'redirection' => 0,
			)
		);
		if ( is_wp_error( $response ) ) {
			// The transport's own message can name hosts; keep only our code for callers and logs.
			return new WP_Error( self::UNREACHABLE, __( 'The Privacy Bridge service could not be reached.', 'privacy-bridge' ) );
		}
		$decoded = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		return array(
			'status' => (int) wp_remote_retrieve_response_code( $response ),
			'body'   => $decoded,
			'code'   => is_array( $decoded ) && isset( $decoded['code'] ) && is_string( $decoded['code'] ) ? $decoded['code'] : '',
		);
	}
}

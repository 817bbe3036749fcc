<?php
/**
 * Base for routes the service calls: every one is signed.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Verifier;
use WP_Error;
use WP_HTTP_Response;
use WP_REST_Controller;
use WP_REST_Request;

/**
 * The signature is checked before anything else, including WordPress's argument validation (in
 * `rest_request_before_callbacks`), so a forged, expired or replayed message always gets a 401 and
 * never a hint about its body; `permission_callback` checks again for any path that skipped it.
 */
abstract class SignedController extends WP_REST_Controller {

	const NAMESPACE_V1 = 'privacy-bridge/v1';

	/**
	 * @var string
	 */
	protected $namespace = self::NAMESPACE_V1;

	/**
	 * @var Verifier
	 */
	private $verifier;

	/**
	 * Verdicts for requests already checked in this PHP process.
	 *
	 * @var array<int, array{ok: bool, code?: string, key_id?: string, message_id?: string}>
	 */
	private static $verdicts = array();

	/**
	 * Routes whose repeat of a correctly signed message is answered again instead of refused: the
	 * service retries a command it may not have seen the answer to, with the same message id.
	 *
	 * @var string[]
	 */
	private static $answers_repeats = array();

	/**
	 * @param Verifier $verifier Transport verifier.
	 */
	public function __construct( Verifier $verifier ) {
		$this->verifier = $verifier;
	}

	/**
	 * Registers the early check once per request and the release of a message id after a failure.
	 *
	 * @param Verifier $verifier Verifier.
	 */
	public static function register_guards( Verifier $verifier ): void {
		add_filter(
			'rest_request_before_callbacks',
			static function ( $response, $handler, $request ) use ( $verifier ) {
				if ( ! $request instanceof WP_REST_Request || 0 !== strpos( (string) $request->get_route(), '/' . self::NAMESPACE_V1 . '/' ) ) {
					return $response;
				}
				$verdict = self::verdict( $verifier, $request );
				return $verdict['ok'] || self::may_repeat( $verdict, $request ) ? $response : self::refusal( $verdict['code'] ?? Verifier::INVALID );
			},
			5,
			3
		);
		add_filter(
			'rest_post_dispatch',
			static function ( $response, $server, $request ) use ( $verifier ) {
				$verdict = self::$verdicts[ spl_object_id( $request ) ] ?? null;
				// A message we could not act on may be sent again: release its id (the service does the same).
				if ( $verdict && $verdict['ok'] && $response instanceof WP_HTTP_Response && ( $response->get_status() >= 500 || 400 === $response->get_status() ) ) {
					$verifier->release( (string) $verdict['key_id'], (string) $verdict['message_id'] );
				}
				return $response;
			},
			10,
			3
		);
	}

	/**
	 * The permission callback of every route.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public function signed_permissions_check( $request ) {
		$verdict = self::verdict( $this->verifier, $request );
		return $verdict['ok'] || self::may_repeat( $verdict, $request ) ? true : self::refusal( $verdict['code'] ?? Verifier::INVALID );
	}

	/**
	 * Whether this request repeats an already seen, correctly signed message on a route that answers repeats.
	 *
	 * @param WP_REST_Request $request Request.
	 */
	public static function is_repeat( WP_REST_Request $request ): bool {
		$verdict = self::$verdicts[ spl_object_id( $request ) ] ?? null;
		return null !== $verdict && self::may_repeat( $verdict, $request );
	}

	/**
	 * The verifier says REPLAYED only after the signature and timestamp checked out.
	 *
	 * @param array{ok: bool, code?: string} $verdict Verdict.
	 * @param WP_REST_Request                $request Request.
	 */
	private static function may_repeat( array $verdict, WP_REST_Request $request ): bool {
		return ! $verdict['ok'] && Verifier::REPLAYED === ( $verdict['code'] ?? '' ) && in_array( (string) $request->get_route(), self::$answers_repeats, true );
	}

	/**
	 * Lets a route answer a repeated message (its handler must be idempotent and may call is_repeat()).
	 *
	 * @param string $route Route under the namespace, e.g. '/dsr/erase'.
	 */
	protected function answer_repeats( string $route ): void {
		self::$answers_repeats[] = '/' . $this->namespace . $route;
	}

	/**
	 * @param Verifier        $verifier Verifier.
	 * @param WP_REST_Request $request  Request.
	 * @return array{ok: bool, code?: string, key_id?: string, message_id?: string}
	 */
	private static function verdict( Verifier $verifier, WP_REST_Request $request ): array {
		$id = spl_object_id( $request );
		if ( ! isset( self::$verdicts[ $id ] ) ) {
			$headers = array();
			foreach ( array( 'x-pb-key-id', 'x-pb-timestamp', 'x-pb-message-id', 'x-pb-signature' ) as $name ) {
				$headers[ $name ] = (string) $request->get_header( $name );
			}
			self::$verdicts[ $id ] = $verifier->verify( $request->get_method(), self::path_as_sent( $request ), $headers, (string) $request->get_body() );
		}
		return self::$verdicts[ $id ];
	}

	/**
	 * The path with query string exactly as the client sent it (what it signed).
	 *
	 * @param WP_REST_Request $request Request.
	 */
	private static function path_as_sent( WP_REST_Request $request ): string {
		if ( isset( $_SERVER['REQUEST_URI'] ) ) {
			return (string) wp_unslash( $_SERVER['REQUEST_URI'] ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- compared, never output.
		}
		return (string) wp_parse_url( rest_url( ltrim( $request->get_route(), '/' ) ), PHP_URL_PATH );
	}

	/**
	 * @param string $code Verifier code (each is in the catalogue, with status 401).
	 */
	private static function refusal( string $code ): WP_Error {
		return Errors::error( $code );
	}

	/**
	 * Registers one signed POST route.
	 *
	 * @param string               $route    Route under the namespace.
	 * @param callable             $callback Handler.
	 * @param array<string, mixed> $schema   Draft-04 object schema of the body.
	 * @param string               $methods  HTTP methods.
	 */
	protected function signed_route( string $route, callable $callback, array $schema, string $methods = 'POST' ): void {
		register_rest_route(
			$this->namespace,
			$route,
			array(
				array(
					'methods'             => $methods,
					'callback'            => $callback,
					'permission_callback' => array( $this, 'signed_permissions_check' ),
					'args'                => RouteSchemas::args( $schema ),
				),
				'schema' => static function () use ( $schema ) {
					return $schema;
				},
			)
		);
	}
}

<?php
/**
 * Draft-04 schemas of the messages the service sends to the plugin.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Rest;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Schemas;

/**
 * Generated files in contracts/ (from shared/ by scripts/export-contracts.ts), turned into route args.
 */
final class RouteSchemas {

	/**
	 * @param string $name Contract name, e.g. 'dsr-erase-command'.
	 * @return array<string, mixed>
	 */
	public static function get( string $name ): array {
		$generated = Schemas::get( $name );
		if ( null === $generated ) {
			// A missing contract is a packaging bug: refuse every body rather than accept any.
			return array( 'type' => 'object', 'required' => array( 'contract-missing' ), 'properties' => array( 'contract-missing' => array( 'type' => 'string' ) ) );
		}
		return $generated;
	}

	/**
	 * Whether a property's schema allows null (zod's nullable, exported as anyOf [..., {type: null}]).
	 *
	 * @param array<string, mixed> $property Property schema.
	 */
	public static function nullable( array $property ): bool {
		foreach ( (array) ( $property['anyOf'] ?? array() ) as $branch ) {
			if ( is_array( $branch ) && 'null' === ( $branch['type'] ?? null ) ) {
				return true;
			}
		}
		return 'null' === ( $property['type'] ?? null ) || ( is_array( $property['type'] ?? null ) && in_array( 'null', $property['type'], true ) );
	}

	/**
	 * WordPress takes a null arg for a missing one ("Missing parameter(s)"), so a required nullable
	 * property is not flagged `required` for it; the handler checks its presence in the JSON here.
	 *
	 * @param array<string, mixed> $schema  Object schema.
	 * @param \WP_REST_Request     $request Request.
	 * @return \WP_Error|null
	 */
	public static function missing_nullable( array $schema, \WP_REST_Request $request ): ?\WP_Error {
		$json    = (array) $request->get_json_params();
		$missing = array();
		foreach ( (array) ( $schema['properties'] ?? array() ) as $name => $property ) {
			if ( true === ( $property['required'] ?? null ) && self::nullable( (array) $property ) && ! array_key_exists( $name, $json ) ) {
				$missing[] = $name;
			}
		}
		if ( array() === $missing ) {
			return null;
		}
		return Errors::error( Errors::MISSING_PARAM, array( 'params' => $missing ), array( implode( ', ', $missing ) ) );
	}

	/**
	 * Top-level properties as route args, with `required: true` where WordPress looks for it.
	 *
	 * An object property's own `required` is the draft-04 list of ITS keys (`account: {required:
	 * [userId]}`), not a flag: it stays a list, which WordPress validates inside the object when the
	 * object is sent and ignores when it is not (WP_REST_Request::has_valid_params() only looks for
	 * `true`). Turning that list into `true` made every optional object mandatory: the real
	 * WordPress 6.8 answered 400 "Missing parameter(s): account" to an erase command without one.
	 *
	 * @param array<string, mixed> $schema Object schema.
	 * @return array<string, array<string, mixed>>
	 */
	public static function args( array $schema ): array {
		$args     = array();
		$required = isset( $schema['required'] ) && is_array( $schema['required'] ) ? $schema['required'] : array();
		foreach ( (array) ( $schema['properties'] ?? array() ) as $name => $property ) {
			$property = (array) $property;
			$own      = $property['required'] ?? null;
			$needed   = ( in_array( $name, $required, true ) || true === $own ) && ! self::nullable( $property );
			if ( is_array( $own ) && $needed ) {
				// Both at once cannot be said in one key: WordPress checks presence, the callback the keys inside.
				$inner                         = $property;
				$property['validate_callback'] = static function ( $value, $request, $param ) use ( $inner ) {
					return rest_validate_value_from_schema( $value, $inner, $param );
				};
			}
			if ( ! isset( $property['type'] ) && isset( $property['anyOf'] ) ) {
				// WordPress validates and sanitizes an arg by default only when it has a `type`.
				$inner                         = $property;
				$property['validate_callback'] = static function ( $value, $request, $param ) use ( $inner ) {
					return rest_validate_value_from_schema( $value, $inner, $param );
				};
				$property['sanitize_callback'] = static function ( $value, $request, $param ) use ( $inner ) {
					return rest_sanitize_value_from_schema( $value, $inner, $param );
				};
			}
			if ( ! is_array( $own ) || $needed ) {
				$property['required'] = $needed;
			}
			$args[ $name ] = $property;
		}
		return $args;
	}
}

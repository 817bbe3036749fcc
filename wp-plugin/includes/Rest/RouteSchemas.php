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
 * A generated file in contracts/ (from shared/ by scripts/export-contracts.ts) wins over the
 * fallback here, which keeps to the keywords WordPress validates.
 */
final class RouteSchemas {

	/**
	 * @param string $name Contract name, e.g. 'plugin-request-status'.
	 * @return array<string, mixed>
	 */
	public static function get( string $name ): array {
		$generated = Schemas::get( $name );
		if ( null !== $generated ) {
			return $generated;
		}
		$fallback = self::fallback();
		return $fallback[ $name ] ?? array( 'type' => 'object' );
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
			$needed   = in_array( $name, $required, true ) || true === $own;
			if ( is_array( $own ) && $needed ) {
				// Both at once cannot be said in one key: WordPress checks presence, the callback the keys inside.
				$inner                         = $property;
				$property['validate_callback'] = static function ( $value, $request, $param ) use ( $inner ) {
					return rest_validate_value_from_schema( $value, $inner, $param );
				};
			}
			if ( ! is_array( $own ) || $needed ) {
				$property['required'] = $needed;
			}
			$args[ $name ] = $property;
		}
		return $args;
	}

	/** @return array<string, array<string, mixed>> */
	private static function fallback(): array {
		$locale = array( 'type' => 'string', 'pattern' => '^[a-z]{2,3}(_[A-Z]{2})?$' );
		$ids    = array( 'type' => 'array', 'items' => array( 'type' => 'integer', 'minimum' => 1 ), 'maxItems' => 500 );
		$keys   = array( 'type' => 'array', 'items' => array( 'type' => 'string', 'minLength' => 1, 'maxLength' => 255 ), 'maxItems' => 200 );
		return array(
			'plugin-request-status'   => array(
				'type'       => 'object',
				'required'   => array( 'state' ),
				'properties' => array(
					'state'    => array( 'type' => 'string', 'enum' => array( 'received', 'verifying', 'in_progress', 'extended', 'completed', 'rejected' ) ),
					'deadline' => array( 'type' => 'string', 'format' => 'date-time' ),
					'reason'   => array( 'type' => 'string', 'maxLength' => 500 ),
				),
			),
			'plugin-export-ready'     => array(
				'type'       => 'object',
				'required'   => array( 'url', 'expiresAt' ),
				'properties' => array(
					'url'       => array( 'type' => 'string', 'format' => 'uri', 'maxLength' => 2000 ),
					'expiresAt' => array( 'type' => 'string', 'format' => 'date-time' ),
					'locale'    => $locale,
				),
			),
			'plugin-erasure-receipt'  => array(
				'type'       => 'object',
				'required'   => array( 'items' ),
				'properties' => array(
					'receiptUrl' => array( 'type' => 'string', 'format' => 'uri', 'maxLength' => 2000 ),
					'locale'     => $locale,
					'items'      => array(
						'type'     => 'array',
						'maxItems' => 1000,
						'items'    => array(
							'type'       => 'object',
							'required'   => array( 'item', 'action' ),
							'properties' => array(
								'item'   => array( 'type' => 'string', 'minLength' => 1, 'maxLength' => 200 ),
								'action' => array( 'type' => 'string', 'enum' => array( 'removed', 'retained' ) ),
								'reason' => array( 'type' => 'string', 'maxLength' => 500 ),
								'until'  => array( 'type' => 'string', 'format' => 'date-time' ),
							),
						),
					),
				),
			),
			'plugin-erase-command'    => array(
				'type'       => 'object',
				'required'   => array( 'orders' ),
				'properties' => array(
					'requestId' => array( 'type' => 'string', 'maxLength' => 128 ),
					'orders'    => array(
						'type'     => 'array',
						'maxItems' => 500,
						'items'    => array(
							'type'       => 'object',
							'required'   => array( 'id' ),
							'properties' => array(
								'id'           => array( 'type' => 'integer', 'minimum' => 1 ),
								'anonymise'    => array( 'type' => 'boolean' ),
								'fields'       => array( 'type' => 'array', 'items' => array( 'type' => 'string', 'enum' => array( 'customer_note' ) ) ),
								'metaKeys'     => $keys,
								'itemMetaKeys' => $keys,
								'noteIds'      => $ids,
							),
						),
					),
					'account'   => array(
						'type'       => 'object',
						'required'   => array( 'userId' ),
						'properties' => array(
							'userId'     => array( 'type' => 'integer', 'minimum' => 1 ),
							'metaKeys'   => $keys,
							'delete'     => array( 'type' => 'boolean' ),
							'reassignTo' => array( 'type' => 'integer', 'minimum' => 1 ),
						),
					),
				),
			),
		);
	}
}

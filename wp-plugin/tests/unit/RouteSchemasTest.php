<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Rest\RouteSchemas;

/**
 * WordPress reads a route arg's `required` as a flag (true: the request must carry it) and, inside an
 * object, as the draft-04 list of that object's keys. Seen on the real WordPress 6.8: a nested list
 * turned into `true` made `account` mandatory and every erase command for orders only got a 400.
 */
final class RouteSchemasTest extends TestCase {

	public function test_only_top_level_required_properties_are_required_args(): void {
		$args = RouteSchemas::args( RouteSchemas::get( 'plugin-erase-command' ) );
		$this->assertTrue( $args['orders']['required'] );
		$this->assertNotTrue( $args['account']['required'] ?? null, 'an erase without an account must be accepted' );
		$this->assertSame( array( 'userId' ), $args['account']['required'], 'the account, when sent, still needs its userId' );
		$this->assertFalse( $args['requestId']['required'] );
	}

	public function test_every_arg_is_flagged_or_keeps_its_own_key_list(): void {
		$names = array( 'plugin-request-status', 'plugin-export-ready', 'plugin-erasure-receipt', 'plugin-erase-command' );
		foreach ( $names as $name ) {
			$schema = RouteSchemas::get( $name );
			foreach ( RouteSchemas::args( $schema ) as $arg => $property ) {
				$top = in_array( $arg, (array) ( $schema['required'] ?? array() ), true );
				$this->assertTrue( is_bool( $property['required'] ) || is_array( $property['required'] ), "$name.$arg" );
				$this->assertSame( $top, true === $property['required'], "$name.$arg is required exactly when the schema says so" );
			}
		}
	}

	public function test_a_required_object_with_its_own_key_list_keeps_both(): void {
		$args = RouteSchemas::args(
			array(
				'type'       => 'object',
				'required'   => array( 'account' ),
				'properties' => array( 'account' => array( 'type' => 'object', 'required' => array( 'userId' ), 'properties' => array( 'userId' => array( 'type' => 'integer' ) ) ) ),
			)
		);
		$this->assertTrue( $args['account']['required'] );
		$this->assertIsCallable( $args['account']['validate_callback'] );
	}
}

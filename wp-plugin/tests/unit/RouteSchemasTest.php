<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Rest\RouteSchemas;

/**
 * WordPress reads a route arg's `required` as a flag (true: the request must carry it) and, inside an
 * object, as the draft-04 list of that object's keys. Seen on the real WordPress 6.8: a nested list
 * turned into `true` made `account` mandatory and every erase command for orders only got a 400.
 * And WordPress takes a null arg for a missing one, so zod's nullable (anyOf [..., null]) is never a
 * `required` arg; the handler checks its presence instead (RouteSchemas::missing_nullable()).
 */
final class RouteSchemasTest extends TestCase {

	public function test_the_erase_command_args_follow_the_generated_contract(): void {
		$args = RouteSchemas::args( RouteSchemas::get( 'dsr-erase-command' ) );
		$this->assertTrue( $args['requestId']['required'] );
		$this->assertTrue( $args['orders']['required'] );
		$this->assertFalse( $args['deleteAccount']['required'], 'null must be accepted: WordPress would call it missing' );
		$this->assertFalse( $args['reviewsByEmail']['required'] );
		$this->assertIsCallable( $args['deleteAccount']['validate_callback'], 'anyOf has no type, so WordPress would not validate it by default' );
	}

	public function test_every_dsr_route_arg_is_flagged_or_keeps_its_own_key_list(): void {
		foreach ( array( 'dsr-bulk-read-query', 'dsr-erase-command', 'dsr-export-ready', 'dsr-erasure-receipt', 'consent-state-push' ) as $name ) {
			$schema = RouteSchemas::get( $name );
			$this->assertNotEmpty( $schema['properties'], $name );
			foreach ( RouteSchemas::args( $schema ) as $arg => $property ) {
				$top = in_array( $arg, (array) ( $schema['required'] ?? array() ), true ) && ! RouteSchemas::nullable( $schema['properties'][ $arg ] );
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

	public function test_a_missing_contract_refuses_every_body(): void {
		$this->assertSame( array( 'contract-missing' ), RouteSchemas::get( 'no-such-contract' )['required'] );
	}
}

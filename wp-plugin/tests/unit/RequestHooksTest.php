<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Privacy\RequestHooks;

/**
 * The CreateDsrRequest the plugin sends for WordPress's privacy requests: the admin who acted in wp-admin
 * is named by user id (wpUserId), as the contract allows it; a request the person made alone names no one.
 */
final class RequestHooksTest extends TestCase {

	/** @return array<string, mixed> */
	private function contract(): array {
		return json_decode( (string) file_get_contents( dirname( __DIR__, 2 ) . '/contracts/create-dsr-request.json' ), true );
	}

	public function test_an_admin_who_acted_in_wp_admin_is_named_by_user_id(): void {
		$body = RequestHooks::body( 'erasure', 'arta.hoxha@example.al', 43, true, 'sq', 7 );
		$this->assertSame( 7, $body['wpUserId'] );
		$this->assertSame( array( 'verified' => true, 'method' => 'wordpress-email-confirmation' ), $body['identity'] );
		$this->assertSame( 'sq', $body['locale'] );
		$schema = $this->contract()['properties']['wpUserId'];
		$this->assertSame( 'integer', $schema['type'] );
		$this->assertSame( 1, $schema['minimum'] );
		$this->assertArrayNotHasKey( 'required', $schema, 'wpUserId is optional: the person acting alone sends none' );
	}

	public function test_a_request_the_person_made_alone_names_no_wordpress_user(): void {
		$body = RequestHooks::body( 'access', 'arta.hoxha@example.al', 44, false, 'en_US', 0 );
		$this->assertArrayNotHasKey( 'wpUserId', $body );
		$this->assertSame( 'not-verified', $body['identity']['method'] );
		$this->assertSame( 'en', $body['locale'] );
	}

	public function test_every_field_it_sends_is_one_the_contract_knows(): void {
		$known = array_keys( $this->contract()['properties'] );
		foreach ( array_keys( RequestHooks::body( 'erasure', 'arta.hoxha@example.al', 43, true, 'sq', 7 ) ) as $field ) {
			$this->assertContains( $field, $known );
		}
	}
}

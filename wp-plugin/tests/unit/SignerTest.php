<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Contract\Signer;

final class SignerTest extends TestCase {

	public function test_string_to_sign_has_the_contract_layout(): void {
		$this->assertSame(
			"PB1\nPOST\n/v1/consents\n1700000000\nmsg-00000001\n" . hash( 'sha256', '{"a":1}' ),
			Signer::string_to_sign( 'post', '/v1/consents', 1700000000, 'msg-00000001', '{"a":1}' )
		);
	}

	public function test_empty_body_hashes_the_empty_string(): void {
		$this->assertStringEndsWith( 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', Signer::string_to_sign( 'GET', '/p', 1, 'abcdefgh', '' ) );
	}

	/**
	 * Signatures computed by the TypeScript sign() of shared/src/contracts/signed-transport.ts
	 * (fixtures/signatures.json, kept current by test/contract/signing-vectors.test.ts).
	 */
	public function test_signatures_match_the_typescript_implementation(): void {
		$vectors = json_decode( (string) file_get_contents( __DIR__ . '/fixtures/signatures.json' ), true );
		$this->assertGreaterThanOrEqual( 5, count( $vectors ) );
		foreach ( $vectors as $v ) {
			$body = base64_decode( $v['bodyBase64'] );
			$this->assertSame( $v['signature'], Signer::sign( $v['secret'], $v['method'], $v['path'], $v['timestamp'], $v['messageId'], $body ), $v['name'] );
			$this->assertTrue( Signer::matches( $v['secret'], $v['method'], $v['path'], $v['timestamp'], $v['messageId'], $body, $v['signature'] ) );
		}
	}

	public function test_headers_carry_key_id_timestamp_message_id_and_signature(): void {
		$h = Signer::headers( 'k1', str_repeat( 's', 32 ), 'POST', '/x', 42, 'abcdefgh', 'b' );
		$this->assertSame( array( 'x-pb-key-id', 'x-pb-timestamp', 'x-pb-message-id', 'x-pb-signature' ), array_keys( $h ) );
		$this->assertSame( '42', $h['x-pb-timestamp'] );
		$this->assertMatchesRegularExpression( Signer::SIGNATURE_PATTERN, $h['x-pb-signature'] );
	}

	public function test_new_message_ids_are_valid_and_distinct(): void {
		$a = Signer::new_message_id();
		$this->assertMatchesRegularExpression( Signer::MESSAGE_ID_PATTERN, $a );
		$this->assertNotSame( $a, Signer::new_message_id() );
	}
}

<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Checkout\ConsentChoice;
use PrivacyBridge\Checkout\ConsentRecord;

/**
 * The logic behind the checkout hooks: what counts as a ticked box (block and classic), and the
 * RecordConsent each checkout sends.
 */
final class CheckoutConsentTest extends TestCase {

	/** @return array<string, array{0: mixed, 1: bool}> */
	public function values(): array {
		return array(
			'true'          => array( true, true ),
			'1'             => array( 1, true ),
			'"1"'           => array( '1', true ),
			'"on"'          => array( 'on', true ),
			'"yes"'         => array( 'yes', true ),
			'false'         => array( false, false ),
			'0'             => array( 0, false ),
			'"0"'           => array( '0', false ),
			'"no"'          => array( 'no', false ),
			'""'            => array( '', false ),
			'null (absent)' => array( null, false ),
			'array'         => array( array( true ), false ),
			'2'             => array( 2, false ),
		);
	}

	/**
	 * @dataProvider values
	 * @param mixed $value Sent value.
	 * @param bool  $ticked Expected.
	 */
	public function test_only_an_explicit_true_value_ticks_a_box( $value, bool $ticked ): void {
		$this->assertSame( $ticked, ConsentChoice::ticked( $value ) );
	}

	public function test_a_block_request_without_the_acceptance_is_not_accepted(): void {
		foreach ( array( null, 'x', array(), array( 'privacy-bridge/marketing' => true ), array( 'privacy-bridge/accept-policy' => false ) ) as $sent ) {
			$choice = ConsentChoice::from_additional_fields( $sent );
			$this->assertFalse( $choice->accepted, (string) wp_json_encode_for_test( $sent ) );
		}
		$choice = ConsentChoice::from_additional_fields( array( 'privacy-bridge/marketing' => true ) );
		$this->assertTrue( $choice->marketing );
	}

	public function test_block_acceptance_and_marketing_read_from_their_own_ids(): void {
		$choice = ConsentChoice::from_additional_fields( array( 'privacy-bridge/accept-policy' => true ) );
		$this->assertTrue( $choice->accepted );
		$this->assertFalse( $choice->marketing, 'marketing is off unless ticked' );
		$this->assertSame( array( array( 'purpose' => 'marketing', 'decision' => 'denied' ) ), $choice->decisions() );
	}

	public function test_classic_form_names(): void {
		$this->assertFalse( ConsentChoice::from_post( array() )->accepted );
		$this->assertFalse( ConsentChoice::from_post( array( 'privacy-bridge/accept-policy' => '1' ) )->accepted, 'the block id is not a form name' );
		$choice = ConsentChoice::from_post( array( 'privacy_bridge_accept_policy' => '1', 'privacy_bridge_marketing' => '1' ) );
		$this->assertTrue( $choice->accepted );
		$this->assertSame( array( array( 'purpose' => 'marketing', 'decision' => 'granted' ) ), $choice->decisions() );
	}

	public function test_the_consent_id_is_the_services_event_id_for_the_message(): void {
		// service/src/consent/links.ts: sha256("consent\nplugin/<message id>"), first 32 hex digits.
		$this->assertSame( substr( hash( 'sha256', "consent\nplugin/m-1" ), 0, 32 ), ConsentRecord::event_id( 'm-1' ) );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', ConsentRecord::event_id( 'abc' ) );
	}

	private function context( int $order_id = 41 ): array {
		return array(
			'policy_version' => 'icbt-pp-1',
			'order_id'       => $order_id,
			'gpc'            => false,
			'locale'         => 'sq',
			'at'             => 1796212800,
		);
	}

	public function test_a_guest_order_is_filed_under_the_billing_email_and_bound_to_the_order(): void {
		$record = ConsentRecord::build( array( 'email' => ' klodiana.meta@example.com ', 'user_id' => 0 ), array( array( 'purpose' => 'marketing', 'decision' => 'granted' ) ), $this->context() );
		$this->assertSame(
			array(
				'subject'       => array( 'email' => 'klodiana.meta@example.com' ),
				'source'        => 'checkout',
				'decisions'     => array( array( 'purpose' => 'marketing', 'decision' => 'granted' ) ),
				'policyVersion' => 'icbt-pp-1',
				'gpc'           => false,
				'locale'        => 'sq',
				'at'            => '2026-12-02T12:00:00Z',
				'orderId'       => 41,
			),
			$record
		);
	}

	public function test_a_customer_order_also_names_the_account_so_the_service_links_them(): void {
		$record = ConsentRecord::build( array( 'email' => 'arta.hoxha@example.com', 'user_id' => 2 ), array(), array_merge( $this->context(), array( 'locale' => 'en_US' ) ) );
		$this->assertSame( array( 'email' => 'arta.hoxha@example.com', 'wpUserId' => 2 ), $record['subject'] );
		$this->assertSame( 'en', $record['locale'] );
	}

	public function test_no_subject_no_record_and_a_bad_email_is_left_out(): void {
		$this->assertNull( ConsentRecord::build( array( 'email' => '', 'user_id' => 0 ), array(), $this->context() ) );
		$this->assertNull( ConsentRecord::build( array( 'email' => 'not an email', 'user_id' => 0 ), array(), $this->context() ) );
		$this->assertSame( array( 'wpUserId' => 7 ), ConsentRecord::build( array( 'email' => 'x@y', 'user_id' => 7 ), array(), $this->context() )['subject'] );
		$this->assertArrayNotHasKey( 'orderId', ConsentRecord::build( array( 'email' => 'a@example.com', 'user_id' => 0 ), array(), $this->context( 0 ) ) );
	}
}

/**
 * @param mixed $v Value.
 */
function wp_json_encode_for_test( $v ): string {
	return (string) json_encode( $v );
}

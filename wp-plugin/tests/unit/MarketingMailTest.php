<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Mail\MarketingMail;
use PrivacyBridge\Account\AccountActions;

/**
 * The marketing marker on a wp_mail() call, and the correction form's fields.
 */
final class MarketingMailTest extends TestCase {

	public function test_headers_as_a_string_or_a_list(): void {
		$this->assertSame( array( 'From: shop@example.al', 'X-Privacy-Bridge-Marketing: 1' ), MarketingMail::header_lines( "From: shop@example.al\r\nX-Privacy-Bridge-Marketing: 1\r\n" ) );
		$this->assertSame( array( 'From: shop@example.al' ), MarketingMail::header_lines( array( 'From: shop@example.al', '' ) ) );
		$this->assertSame( array(), MarketingMail::header_lines( '' ) );
	}

	public function test_the_marker_is_found_and_removed(): void {
		$this->assertSame( array( true, array( 'From: shop@example.al' ) ), MarketingMail::split_marker( array( 'From: shop@example.al', 'x-privacy-bridge-marketing: 1' ) ) );
		$this->assertSame( array( false, array( 'From: shop@example.al' ) ), MarketingMail::split_marker( array( 'From: shop@example.al', 'X-Privacy-Bridge-Marketing: 0' ) ) );
		$this->assertSame( array( false, array( 'Subject-Extra: x' ) ), MarketingMail::split_marker( array( 'Subject-Extra: x' ) ) );
	}
}

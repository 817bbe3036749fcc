<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Http\Transport;

final class TransportTest extends TestCase {

	public function test_https_and_loopback_http_are_allowed(): void {
		foreach ( array( 'https://privacy.example.al', 'http://127.0.0.1:3000', 'http://localhost:3000/x', 'http://[::1]:3000' ) as $url ) {
			$this->assertTrue( Transport::is_allowed( $url, false ), $url );
		}
	}

	public function test_plain_http_to_another_host_is_refused_unless_allowed(): void {
		foreach ( array( 'http://privacy.example.al', 'http://10.0.0.5:3000', 'http://127.0.0.1.example.al' ) as $url ) {
			$this->assertFalse( Transport::is_allowed( $url, false ), $url );
			$this->assertTrue( Transport::is_allowed( $url, true ), $url );
		}
	}

	public function test_other_schemes_are_refused(): void {
		$this->assertFalse( Transport::is_allowed( 'ftp://privacy.example.al', true ) );
		$this->assertFalse( Transport::is_allowed( '', true ) );
	}
}

<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Contract\Signer;
use PrivacyBridge\Contract\Verifier;
use PrivacyBridge\Tests\MemoryReplayStore;

final class VerifierTest extends TestCase {

	const NOW = 1800000000;

	/** @var MemoryReplayStore */
	private $replays;

	/** @var Verifier */
	private $verifier;

	protected function setUp(): void {
		$this->replays  = new MemoryReplayStore();
		$this->verifier = new Verifier(
			array( 'current' => str_repeat( 'a', 32 ), 'previous' => str_repeat( 'b', 32 ) ),
			$this->replays,
			static function (): int {
				return self::NOW;
			}
		);
	}

	private function signed( string $key_id, string $secret, int $ts, string $message_id, string $body = '{"state":"completed"}', string $path = '/wp-json/privacy-bridge/v1/requests/7/status' ): array {
		return Signer::headers( $key_id, $secret, 'POST', $path, $ts, $message_id, $body );
	}

	public function test_accepts_a_message_signed_by_either_active_key(): void {
		$this->assertTrue( $this->verifier->verify( 'POST', '/wp-json/privacy-bridge/v1/requests/7/status', $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW, 'msg-current-1' ), '{"state":"completed"}' )['ok'] );
		$this->assertTrue( $this->verifier->verify( 'POST', '/wp-json/privacy-bridge/v1/requests/7/status', $this->signed( 'previous', str_repeat( 'b', 32 ), self::NOW, 'msg-previous-1' ), '{"state":"completed"}' )['ok'] );
	}

	public function test_refuses_missing_or_malformed_headers(): void {
		$this->assertSame( Verifier::MISSING, $this->verifier->verify( 'POST', '/p', array(), '' )['code'] );
		$h                     = $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW, 'msg-malformed' );
		$h['x-pb-message-id'] = 'short';
		$this->assertSame( Verifier::MISSING, $this->verifier->verify( 'POST', '/p', $h, '' )['code'] );
	}

	public function test_refuses_an_unknown_key_a_wrong_secret_and_any_change_to_what_was_signed(): void {
		$path = '/wp-json/privacy-bridge/v1/requests/7/status';
		$this->assertSame( Verifier::INVALID, $this->verifier->verify( 'POST', $path, $this->signed( 'retired', str_repeat( 'a', 32 ), self::NOW, 'msg-unknown-key' ), '{"state":"completed"}' )['code'] );
		$this->assertSame( Verifier::INVALID, $this->verifier->verify( 'POST', $path, $this->signed( 'current', str_repeat( 'x', 32 ), self::NOW, 'msg-wrong-secret' ), '{"state":"completed"}' )['code'] );
		$h = $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW, 'msg-tampered' );
		$this->assertSame( Verifier::INVALID, $this->verifier->verify( 'POST', $path, $h, '{"state":"rejected"}' )['code'], 'body' );
		$this->assertSame( Verifier::INVALID, $this->verifier->verify( 'POST', '/wp-json/privacy-bridge/v1/requests/8/status', $h, '{"state":"completed"}' )['code'], 'path' );
		$this->assertSame( Verifier::INVALID, $this->verifier->verify( 'PUT', $path, $h, '{"state":"completed"}' )['code'], 'method' );
		$this->assertTrue( $this->verifier->verify( 'POST', $path, $h, '{"state":"completed"}' )['ok'], 'the untouched message still verifies: refusals claim nothing' );
	}

	public function test_refuses_timestamps_outside_five_minutes_either_way(): void {
		$path = '/wp-json/privacy-bridge/v1/requests/7/status';
		$this->assertTrue( $this->verifier->verify( 'POST', $path, $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW - 300, 'msg-edge-old' ), '{"state":"completed"}' )['ok'] );
		$this->assertTrue( $this->verifier->verify( 'POST', $path, $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW + 300, 'msg-edge-new' ), '{"state":"completed"}' )['ok'] );
		$this->assertSame( Verifier::EXPIRED, $this->verifier->verify( 'POST', $path, $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW - 301, 'msg-too-old' ), '{"state":"completed"}' )['code'] );
		$this->assertSame( Verifier::EXPIRED, $this->verifier->verify( 'POST', $path, $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW + 301, 'msg-too-new' ), '{"state":"completed"}' )['code'] );
	}

	public function test_refuses_a_reused_message_id_until_released(): void {
		$path = '/wp-json/privacy-bridge/v1/requests/7/status';
		$h    = $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW, 'msg-replayed' );
		$this->assertTrue( $this->verifier->verify( 'POST', $path, $h, '{"state":"completed"}' )['ok'] );
		$this->assertSame( Verifier::REPLAYED, $this->verifier->verify( 'POST', $path, $h, '{"state":"completed"}' )['code'] );
		$again = $this->signed( 'current', str_repeat( 'a', 32 ), self::NOW + 1, 'msg-replayed' );
		$this->assertSame( Verifier::REPLAYED, $this->verifier->verify( 'POST', $path, $again, '{"state":"completed"}' )['code'], 're-signed with a new timestamp: still the same message' );
		$this->verifier->release( 'current', 'msg-replayed' );
		$this->assertTrue( $this->verifier->verify( 'POST', $path, $again, '{"state":"completed"}' )['ok'], 'released after a failure: the retry goes through' );
	}
}

<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Outbox\Heartbeat;

/** The heartbeat says what the outbox holds, as the PluginHeartbeat contract has it: counts and one age. */
final class HeartbeatTest extends TestCase {

	public function test_reports_pending_refused_and_the_oldest_pending_message_age(): void {
		$body = Heartbeat::body( array( 'count' => 3, 'refused' => 1, 'oldest_created_at' => 1_000 ), 1_042 );
		$this->assertSame( array( 'outbox' => array( 'pending' => 3, 'refused' => 1, 'oldestAgeSeconds' => 42 ) ), $body );
	}

	public function test_an_empty_outbox_has_no_oldest_message(): void {
		$body = Heartbeat::body( array( 'count' => 0, 'refused' => 0, 'oldest_created_at' => null ), 1_042 );
		$this->assertNull( $body['outbox']['oldestAgeSeconds'] );
	}

	public function test_only_the_fields_of_its_contract(): void {
		$contract = json_decode( (string) file_get_contents( dirname( __DIR__, 2 ) . '/contracts/plugin-heartbeat.json' ), true );
		$body     = Heartbeat::body( array( 'count' => 0, 'refused' => 0, 'oldest_created_at' => null ), 0 );
		$this->assertSame( array_keys( $contract['properties'] ), array_keys( $body ) );
		$this->assertEqualsCanonicalizing( array_keys( $contract['properties']['outbox']['properties'] ), array_keys( $body['outbox'] ) );
	}
}

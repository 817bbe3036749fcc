<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;
use PrivacyBridge\Banner\ScriptGate;
use PrivacyBridge\Banner\VisitorLink;

if ( ! function_exists( 'esc_attr' ) ) {
	function esc_attr( $text ) {
		return htmlspecialchars( (string) $text, ENT_QUOTES );
	}
}

/**
 * The banner's pure parts: making enqueued tags inert, reading the visitor's cookies, the record it sends.
 */
final class BannerTest extends TestCase {

	protected function tearDown(): void {
		$_COOKIE = array();
	}

	public function test_a_tagged_script_and_its_inline_parts_become_inert_and_keep_their_attributes(): void {
		$tag = "<script id=\"ga-js-before\">var a=1;</script>\n<script type=\"text/javascript\" src=\"https://example.invalid/ga.js\" id=\"ga-js\" defer></script>\n";
		$out = ScriptGate::inert( $tag, 'statistics' );
		$this->assertSame( "<script type=\"text/plain\" data-category=\"statistics\" id=\"ga-js-before\">var a=1;</script>\n<script type=\"text/plain\" data-category=\"statistics\" src=\"https://example.invalid/ga.js\" id=\"ga-js\" defer></script>\n", $out );
	}

	public function test_a_module_keeps_its_type_and_a_data_block_is_left_alone(): void {
		$this->assertSame( '<script type="text/plain" data-category="marketing" data-type="module" src="m.js">', ScriptGate::inert( '<script type="module" src="m.js">', 'marketing' ) );
		$this->assertSame( '<script type="application/json" id="x">', ScriptGate::inert( '<script type="application/json" id="x">', 'marketing' ) );
	}

	public function test_the_visitor_id_must_match_its_pattern(): void {
		$_COOKIE['pb_vid'] = 'abcDEF0123456789_-xyz';
		$this->assertSame( 'abcDEF0123456789_-xyz', VisitorLink::visitor_id() );
		$_COOKIE['pb_vid'] = 'short';
		$this->assertNull( VisitorLink::visitor_id() );
		$_COOKIE['pb_vid'] = str_repeat( 'a', 20 ) . '<script>';
		$this->assertNull( VisitorLink::visitor_id() );
	}

	public function test_a_stored_choice_is_read_by_bit_and_refused_from_an_older_revision(): void {
		$_COOKIE['pb_consent'] = '3.010.1764000000';
		$this->assertSame( array( 'granted' => array( 'statistics' ), 'at' => '2025-11-24T16:00:00Z' ), VisitorLink::stored_choice( 3 ) );
		$this->assertNull( VisitorLink::stored_choice( 4 ) );
		$_COOKIE['pb_consent'] = '3.01.1764000000';
		$this->assertNull( VisitorLink::stored_choice( 1 ) );
	}

	public function test_the_record_decides_every_category_and_overrides_gpc_only_under_gpc(): void {
		$settings = array( 'policy_version' => 'icbt-pp-1' );
		$record   = VisitorLink::record( array( 'visitorId' => 'abcDEF0123456789_-xyz' ), array( 'marketing' ), false, true, 'sq', '2026-12-02T06:00:00Z', $settings );
		$this->assertSame(
			array(
				array( 'purpose' => 'preferences', 'decision' => 'denied' ),
				array( 'purpose' => 'statistics', 'decision' => 'denied' ),
				array( 'purpose' => 'marketing', 'decision' => 'granted' ),
			),
			$record['decisions']
		);
		$this->assertSame( 'banner', $record['source'] );
		$this->assertArrayNotHasKey( 'overridesGpc', $record );
		$this->assertTrue( VisitorLink::record( array( 'visitorId' => 'abcDEF0123456789_-xyz' ), array( 'marketing' ), true, true, 'sq', '2026-12-02T06:00:00Z', $settings )['overridesGpc'] );
	}
}

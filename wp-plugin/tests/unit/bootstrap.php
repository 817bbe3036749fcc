<?php
/**
 * Unit tests: the pure classes, without WordPress. A few WordPress functions they touch are stubbed.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

define( 'ABSPATH', __DIR__ . '/' );

spl_autoload_register(
	static function ( string $class ): void {
		$prefix = 'PrivacyBridge\\';
		if ( 0 === strpos( $class, $prefix ) ) {
			$file = dirname( __DIR__, 2 ) . '/includes/' . str_replace( '\\', '/', substr( $class, strlen( $prefix ) ) ) . '.php';
			if ( is_readable( $file ) ) {
				require $file;
			}
		}
	}
);

// Test doubles live beside the tests, never in includes/.
require_once dirname( __DIR__ ) . '/support/MemoryReplayStore.php';

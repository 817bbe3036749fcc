<?php
/**
 * Plugin Name:       Privacy Bridge
 * Description:       Forwards consents and privacy requests to the Privacy Bridge service and brings its results back into WordPress.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            Privacy Bridge
 * License:           GPL-2.0-or-later
 * Text Domain:       privacy-bridge
 * Domain Path:       /languages
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

defined( 'ABSPATH' ) || exit;

define( 'PRIVACY_BRIDGE_VERSION', '0.1.0' );
define( 'PRIVACY_BRIDGE_FILE', __FILE__ );
define( 'PRIVACY_BRIDGE_DIR', __DIR__ );

spl_autoload_register(
	static function ( string $class ): void {
		$prefix = 'PrivacyBridge\\';
		if ( 0 !== strpos( $class, $prefix ) ) {
			return;
		}
		$file = __DIR__ . '/includes/' . str_replace( '\\', '/', substr( $class, strlen( $prefix ) ) ) . '.php';
		if ( is_readable( $file ) ) {
			require $file;
		}
	}
);

register_activation_hook( __FILE__, array( 'PrivacyBridge\\Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'PrivacyBridge\\Plugin', 'deactivate' ) );

PrivacyBridge\Plugin::boot();

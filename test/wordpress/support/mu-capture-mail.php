<?php
/**
 * Test-only must-use plugin: wp_mail() is captured into PRIVACY_BRIDGE_TEST_MAIL_LOG (one JSON object a line)
 * instead of being sent. Never part of the plugin.
 */
add_filter(
	'pre_wp_mail',
	static function ( $short, $atts ) {
		if ( defined( 'PRIVACY_BRIDGE_TEST_MAIL_LOG' ) ) {
			file_put_contents( PRIVACY_BRIDGE_TEST_MAIL_LOG, wp_json_encode( array( 'to' => $atts['to'], 'subject' => $atts['subject'], 'message' => $atts['message'], 'locale' => determine_locale() ) ) . "\n", FILE_APPEND | LOCK_EX );
		}
		return true;
	},
	10,
	2
);

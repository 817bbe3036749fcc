<?php
/**
 * Test-only must-use plugin, linked into the store by the customer-facing suites and removed after:
 * every wp_mail() call (to, subject, message, headers) as one JSON line in
 * wp-content/uploads/privacy-bridge-test-mail.jsonl. Runs before the store's own mail log, which still
 * writes its line. Never part of the plugin.
 */
add_filter(
	'pre_wp_mail',
	static function ( $short, $atts ) {
		$headers = is_array( $atts['headers'] ) ? $atts['headers'] : array_filter( explode( "\n", str_replace( "\r\n", "\n", (string) $atts['headers'] ) ) );
		file_put_contents( WP_CONTENT_DIR . '/uploads/privacy-bridge-test-mail.jsonl', wp_json_encode( array( 'to' => $atts['to'], 'subject' => $atts['subject'], 'message' => $atts['message'], 'headers' => array_values( $headers ) ) ) . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore
		return $short;
	},
	9,
	2
);

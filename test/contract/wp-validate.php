<?php
/**
 * Reads [{schema, value}, …] as JSON on stdin and prints, for each, `true` or the WP_Error code that
 * rest_validate_value_from_schema() returns — WordPress's own REST validation, loaded without a database.
 * WORDPRESS_DIR (default /usr/share/wordpress, Debian's package) says which WordPress.
 */
$wp = rtrim( getenv( 'WORDPRESS_DIR' ) ?: '/usr/share/wordpress', '/' ) . '/';
define( 'ABSPATH', $wp );
define( 'WPINC', 'wp-includes' );
foreach ( array( 'load.php', 'compat.php', 'plugin.php', 'class-wp-error.php', 'functions.php', 'formatting.php', 'kses.php', 'l10n.php', 'pomo/translations.php', 'pomo/mo.php', 'class-wp-textdomain-registry.php', 'rest-api.php' ) as $file ) {
	if ( is_readable( ABSPATH . WPINC . '/' . $file ) ) {
		require_once ABSPATH . WPINC . '/' . $file;
	}
}
if ( class_exists( 'WP_Textdomain_Registry' ) ) {
	$GLOBALS['wp_textdomain_registry'] = new WP_Textdomain_Registry();
}
// From wp-includes/default-filters.php: the %l list placeholder of enum messages.
add_filter( 'wp_sprintf', 'wp_sprintf_l', 10, 2 );
$out = array();
foreach ( json_decode( stream_get_contents( STDIN ), true ) as $case ) {
	$result = rest_validate_value_from_schema( $case['value'], $case['schema'], 'body' );
	$out[]  = is_wp_error( $result ) ? $result->get_error_code() : true;
}
echo json_encode( $out );

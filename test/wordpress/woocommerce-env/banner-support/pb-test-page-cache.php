<?php
/**
 * Test only: the crudest page cache. A front-end GET with `?pb-cache=<name>` is stored on its first
 * view and the same bytes are served to everyone after that, whatever their cookies (as page caches
 * that ignore cookies do). `X-PB-Cache: HIT|MISS` says which.
 */
if ( isset( $_GET['pb-cache'] ) && preg_match( '/^[a-z0-9-]{1,32}$/', (string) $_GET['pb-cache'] ) && 'GET' === $_SERVER['REQUEST_METHOD'] ) {
	$pb_cache_file = sys_get_temp_dir() . '/pb-test-page-cache-' . md5( (string) $_SERVER['HTTP_HOST'] . (string) $_SERVER['REQUEST_URI'] ) . '.html';
	if ( is_readable( $pb_cache_file ) ) {
		header( 'X-PB-Cache: HIT' );
		header( 'Content-Type: text/html; charset=UTF-8' );
		readfile( $pb_cache_file );
		exit;
	}
	header( 'X-PB-Cache: MISS' );
	ob_start(
		static function ( $html ) use ( $pb_cache_file ) {
			file_put_contents( $pb_cache_file, $html );
			return $html;
		}
	);
}

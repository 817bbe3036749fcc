<?php
/**
 * Test only: the site speaks the locale in the `pb_test_locale` option. WordPress's WPLANG accepts only
 * installed language packs, and WordPress's own `sq` pack cannot be downloaded here (no network); the
 * plugin's Albanian catalogue (privacy-bridge-sq.mo) is what this switches on.
 */
$pb_test_locale = get_option( 'pb_test_locale' );
if ( is_string( $pb_test_locale ) && '' !== $pb_test_locale ) {
	add_filter( 'locale', static fn () => $pb_test_locale );
}

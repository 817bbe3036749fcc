<?php
/**
 * Test only: scripts marked with a category on every front-end page, to see which run and in which
 * order, and a cookie each sets (so withdrawal can be seen deleting it).
 */
add_action(
	'wp_head',
	static function () {
		echo '<script type="text/plain" data-category="statistics">(window.__ran=window.__ran||[]).push("statistics-inline");document.cookie="_ga_PBTEST=GS1.1; path=/";</script>' . "\n";
		echo '<script type="text/plain" data-category="marketing">(window.__ran=window.__ran||[]).push("marketing-inline");document.cookie="_fbp=fb.1.test; path=/";</script>' . "\n";
		echo '<script type="text/plain" data-category="preferences">(window.__ran=window.__ran||[]).push("preferences-inline");</script>' . "\n";
		echo '<script>(window.__ran=window.__ran||[]);document.addEventListener("privacy-bridge:consent",function(e){(window.__pbEvents=window.__pbEvents||[]).push(e.detail);});</script>' . "\n";
	},
	20
);
add_action(
	'wp_enqueue_scripts',
	static function () {
		wp_enqueue_script( 'pb-test-enqueued', content_url( 'mu-plugins/pb-test-enqueued.js' ), array(), '1', true );
		wp_enqueue_script( 'pb-test-enqueued-marketing', content_url( 'mu-plugins/pb-test-enqueued-marketing.js' ), array(), '1', true );
	}
);
add_filter(
	'privacy_bridge_banner_script_categories',
	static function ( $map ) {
		return $map + array( 'pb-test-enqueued' => 'statistics', 'pb-test-enqueued-marketing' => 'marketing' );
	}
);

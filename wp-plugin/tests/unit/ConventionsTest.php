<?php
declare( strict_types=1 );

use PHPUnit\Framework\TestCase;

/**
 * What PHPCS's WordPress sniffs would check, for the parts that matter here.
 */
final class ConventionsTest extends TestCase {

	/** @return string[] */
	private function sources(): array {
		$root  = dirname( __DIR__, 2 );
		$files = array( $root . '/privacy-bridge.php', $root . '/uninstall.php' );
		$it    = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $root . '/includes' ) );
		foreach ( $it as $f ) {
			if ( $f->isFile() && 'php' === $f->getExtension() ) {
				$files[] = $f->getPathname();
			}
		}
		return $files;
	}

	public function test_every_translatable_string_uses_the_literal_privacy_bridge_domain(): void {
		foreach ( $this->sources() as $file ) {
			$tokens = token_get_all( (string) file_get_contents( $file ) );
			foreach ( $tokens as $i => $t ) {
				if ( ! is_array( $t ) || T_STRING !== $t[0] || ! in_array( $t[1], array( '__', '_e', 'esc_html__', 'esc_html_e', 'esc_attr__', 'esc_attr_e', '_n', '_x' ), true ) ) {
					continue;
				}
				// The last argument at depth 1 of the call must be the literal domain.
				$depth = 0;
				$last  = null;
				for ( $j = $i + 1, $n = count( $tokens ); $j < $n; $j++ ) {
					$tok = $tokens[ $j ];
					if ( '(' === $tok || '[' === $tok ) {
						++$depth;
						continue;
					}
					if ( ')' === $tok || ']' === $tok ) {
						if ( 0 === --$depth ) {
							break;
						}
						continue;
					}
					if ( 1 === $depth && ',' !== $tok && ! ( is_array( $tok ) && in_array( $tok[0], array( T_WHITESPACE, T_COMMENT ), true ) ) ) {
						$last = is_array( $tok ) ? $tok[1] : $tok;
					}
				}
				$this->assertSame( "'privacy-bridge'", $last, basename( $file ) . ':' . $t[2] . ' ' . $t[1] . '()' );
			}
		}
	}

	public function test_every_file_declares_strict_types_and_guards_abspath(): void {
		foreach ( $this->sources() as $file ) {
			$src = (string) file_get_contents( $file );
			$this->assertStringContainsString( 'declare( strict_types=1 );', $src, $file );
			$this->assertMatchesRegularExpression( '/defined\( \'(ABSPATH|WP_UNINSTALL_PLUGIN)\' \) \|\| exit;/', $src, $file );
		}
	}

	public function test_nothing_writes_to_the_php_error_log(): void {
		foreach ( $this->sources() as $file ) {
			$this->assertDoesNotMatchRegularExpression( '/\b(error_log|var_dump|print_r)\s*\(/', (string) file_get_contents( $file ), $file );
		}
	}

	public function test_hooks_options_and_tables_are_prefixed(): void {
		foreach ( $this->sources() as $file ) {
			preg_match_all( '/(?:add_action|add_filter|do_action|apply_filters|get_option|update_option|delete_option|set_transient|get_transient)\(\s*\'([^\']+)\'/', (string) file_get_contents( $file ), $m );
			foreach ( $m[1] as $name ) {
				$core = in_array( $name, array( 'rest_api_init', 'init', 'plugins_loaded', 'admin_menu', 'cron_schedules', 'user_request_action_confirmed', 'save_post_user_request', 'wp_privacy_personal_data_exporters', 'wp_privacy_personal_data_erasers', 'http_request_host_is_external', 'http_allowed_safe_ports', 'site_status_tests', 'comments_clauses', 'rest_request_before_callbacks', 'rest_post_dispatch', 'blogname', 'date_format', 'time_format', 'woocommerce_privacy_remove_order_personal_data_props', 'woocommerce_privacy_remove_order_personal_data_meta',
					// The cookie banner (includes/Banner/): WordPress's, WooCommerce's and the WP Consent API's own hooks.
					'admin_init', 'wp', 'wp_head', 'wp_body_open', 'wp_footer', 'script_loader_tag', 'wp_login', 'wp_get_consent_type', 'wp_consent_api_registered_', 'wc_order_attribution_allow_tracking', 'woocommerce_checkout_order_processed', 'woocommerce_store_api_checkout_order_processed' ), true );
				// Another plugin's or WordPress's own hooks and options (WooCommerce, core wp_/rest_/template_ names).
				$core = $core || 1 === preg_match( '/^(woocommerce_|wp_|rest_|template_redirect$|query_vars$|pre_wp_mail$)/', $name );
				$this->assertTrue( $core || 0 === strpos( $name, 'privacy_bridge' ) || 'admin_post_' === $name, basename( $file ) . ": $name" );
			}
		}
	}

	public function test_rest_routes_take_their_errors_from_the_catalogue(): void {
		$root  = dirname( __DIR__, 2 ) . '/includes';
		$files = array_merge( glob( $root . '/Rest/*.php' ), array( $root . '/Banner/ConsentEndpoint.php', $root . '/Admin/SiteHealth.php' ) );
		foreach ( $files as $file ) {
			if ( 'Errors.php' !== basename( $file ) ) {
				$this->assertDoesNotMatchRegularExpression( '/new\s+\\?WP_Error\s*\(/', (string) file_get_contents( $file ), basename( $file ) . ': use Rest\Errors::error()' );
			}
		}
		$this->assertStringContainsString( 'Errors::error(', (string) file_get_contents( $root . '/Admin/SiteHealth.php' ) );
	}
}

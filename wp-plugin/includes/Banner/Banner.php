<?php
/**
 * The cookie banner on the front end: head config and Consent Mode default, the markup early in
 * <body>, script gating, sensitive pages, WP Consent API, /.well-known/gpc.json.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Privacy\Consents;

/**
 * Every page gets the same HTML whoever asks (page caches may store it): the consent state lives in
 * the `pb_consent` cookie and is read in the browser. A page view reads one autoloaded option and
 * two small files, and runs no query.
 */
final class Banner {

	/**
	 * @var array<string, mixed>|null
	 */
	private $settings;

	/**
	 * @var bool
	 */
	private $printed = false;

	/** Hooks everything; `privacy_bridge_banner_enabled` (filter) or the setting turns it off. */
	public function register( Consents $consents ): void {
		add_action( 'init', array( WellKnownGpc::class, 'maybe_serve' ), 0 );
		add_action(
			'rest_api_init',
			static function () use ( $consents ): void {
				( new ConsentEndpoint( $consents ) )->register_routes(); // built for REST requests only
			}
		);
		( new VisitorLink( $consents ) )->register();
		if ( is_admin() ) {
			( new BannerSettingsPage() )->register();
			return;
		}
		add_action( 'wp', array( $this, 'front_end' ) );
	}

	/** Hooked to `wp`: the query is known, so sensitive pages can be told apart. */
	public function front_end(): void {
		if ( is_feed() || is_robots() || is_trackback() || wp_doing_ajax() || ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
			return;
		}
		$this->settings = BannerSettings::get();
		if ( ! apply_filters( 'privacy_bridge_banner_enabled', (bool) $this->settings['enabled'] ) ) {
			return;
		}
		$sensitive = SensitivePages::is_sensitive();
		( new ScriptGate( $sensitive ) )->register();
		// WP Consent API: this banner is the consent management platform, opt-in.
		add_filter( 'wp_get_consent_type', static fn () => 'optin' );
		add_filter( 'wp_consent_api_registered_' . plugin_basename( PRIVACY_BRIDGE_FILE ), '__return_true' );
		if ( $sensitive ) {
			// WooCommerce's order attribution is marketing: never on checkout, account or session pages.
			add_filter( 'wc_order_attribution_allow_tracking', '__return_false', 99 );
		}
		add_action( 'wp_head', fn () => $this->head( $sensitive ), 1 );
		add_action( 'wp_body_open', array( $this, 'body' ), 1 );
		add_action( 'wp_footer', array( $this, 'body' ), 1 ); // themes without wp_body_open
	}

	/** The config, the CSS inline (no render-blocking request) and Consent Mode's default, before any tag. */
	private function head( bool $sensitive ): void {
		$s      = $this->settings;
		$config = array(
			'rev'       => (int) $s['revision'],
			'rest'      => rest_url( ConsentEndpoint::NS . '/' . ConsentEndpoint::BASE ),
			'lang'      => BannerSettings::lang(),
			'sensitive' => $sensitive,
			'cookies'   => $s['cookies'],
		);
		$dir    = dirname( PRIVACY_BRIDGE_FILE ) . '/assets/';
		$ver    = (string) filemtime( $dir . 'banner.js' );
		echo '<script type="application/json" id="pb-config">' . wp_json_encode( $config, JSON_UNESCAPED_SLASHES | JSON_HEX_TAG | JSON_HEX_AMP ) . "</script>\n";
		echo '<script id="pb-head">' . self::read( $dir . 'banner-head.js' ) . "</script>\n";
		echo '<style id="pb-css">' . self::read( $dir . 'banner.css' ) . "</style>\n";
		echo '<script src="' . esc_url( plugins_url( 'assets/banner.js', PRIVACY_BRIDGE_FILE ) . '?ver=' . $ver ) . '" defer></script>' . "\n";
	}

	/** Hooked to `wp_body_open` (and `wp_footer` when the theme has none): printed once. */
	public function body(): void {
		if ( $this->printed ) {
			return;
		}
		$this->printed = true;
		$lang          = BannerSettings::lang();
		echo Markup::render( BannerSettings::texts( $this->settings, $lang ), $lang, (string) $this->settings['policy_url'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped in Markup.
	}

	private static function read( string $file ): string {
		$text = is_readable( $file ) ? (string) file_get_contents( $file ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- local asset.
		return str_replace( '</', '<\/', trim( $text ) );
	}
}

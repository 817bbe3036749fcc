<?php
/**
 * The cookie banner's settings: texts per language, cookies per category, revision, policy version.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

/**
 * One autoloaded option, `privacy_bridge_banner`, so a page view reads it without a query. No personal data.
 */
final class BannerSettings {

	const OPTION = 'privacy_bridge_banner';

	/** The categories a visitor can switch, in the order the cookie stores them. */
	const CATEGORIES = array( 'preferences', 'statistics', 'marketing' );

	/** The keys of the texts the settings can override, per language. */
	const TEXT_KEYS = array( 'title', 'intro', 'accept', 'reject', 'choose', 'dialog_title', 'save', 'close', 'gpc', 'settings_link', 'policy', 'receipt', 'always_on', 'necessary', 'necessary_help', 'preferences', 'preferences_help', 'statistics', 'statistics_help', 'marketing', 'marketing_help' );

	/** @return array<string, mixed> */
	public static function defaults(): array {
		return array(
			'enabled'        => true,
			'revision'       => 1,
			'policy_version' => 'none',
			'gpc_since'      => '2026-12-02',
			'policy_url'     => '',
			'cookies'        => array(
				'preferences' => array(),
				'statistics'  => array( '_ga*', '_gid', '_gat*' ),
				'marketing'   => array( '_fbp', '_gcl_*', 'sbjs_*' ),
			),
			'texts'          => array(
				'sq' => array(),
				'en' => array(),
			),
		);
	}

	/** @return array<string, mixed> */
	public static function get(): array {
		$stored = get_option( self::OPTION );
		if ( false === $stored ) {
			// Once, on the first page view: an autoloaded option costs no query on the next ones.
			$stored = array( 'policy_url' => self::policy_url() );
			add_option( self::OPTION, array_replace( self::defaults(), $stored ), '', true );
		}
		return array_replace( self::defaults(), is_array( $stored ) ? $stored : array() );
	}

	/** The privacy policy page's address (read once and stored: resolving it costs a query). */
	private static function policy_url(): string {
		return function_exists( 'get_privacy_policy_url' ) ? (string) get_privacy_policy_url() : '';
	}

	/** 'sq' on an Albanian page, 'en' otherwise. */
	public static function lang(): string {
		return 0 === strpos( determine_locale(), 'sq' ) ? 'sq' : 'en';
	}

	/**
	 * The banner's texts in the page's language: the settings' override, else the translated default.
	 *
	 * @return array<string, string>
	 */
	public static function texts( array $settings, string $lang ): array {
		$own = is_array( $settings['texts'][ $lang ] ?? null ) ? $settings['texts'][ $lang ] : array();
		$out = array();
		foreach ( self::default_texts() as $key => $text ) {
			$out[ $key ] = isset( $own[ $key ] ) && '' !== trim( (string) $own[ $key ] ) ? (string) $own[ $key ] : $text;
		}
		return $out;
	}

	/** @return array<string, string> */
	public static function default_texts(): array {
		return array(
			'title'            => __( 'Cookies on this site', 'privacy-bridge' ),
			'intro'            => __( 'We use necessary cookies to make the shop work. With your permission we would also use cookies to remember your preferences, to understand how the site is used and for marketing. Nothing optional runs until you choose, and you can change your mind at any time.', 'privacy-bridge' ),
			'accept'           => __( 'Accept all', 'privacy-bridge' ),
			'reject'           => __( 'Reject all', 'privacy-bridge' ),
			'choose'           => __( 'Choose', 'privacy-bridge' ),
			'dialog_title'     => __( 'Cookie settings', 'privacy-bridge' ),
			'save'             => __( 'Save my choices', 'privacy-bridge' ),
			'close'            => __( 'Close', 'privacy-bridge' ),
			'gpc'              => __( 'Your browser sends a Global Privacy Control signal: we take it as a refusal of statistics and marketing cookies. You can still switch them on here yourself.', 'privacy-bridge' ),
			'settings_link'    => __( 'Cookie settings', 'privacy-bridge' ),
			'policy'           => __( 'Privacy policy', 'privacy-bridge' ),
			'receipt'          => __( 'Download a receipt of my choice', 'privacy-bridge' ),
			'always_on'        => __( 'Always on', 'privacy-bridge' ),
			'necessary'        => __( 'Necessary', 'privacy-bridge' ),
			'necessary_help'   => __( 'Make the site, the cart and your account work, and remember this choice. They cannot be switched off.', 'privacy-bridge' ),
			'preferences'      => __( 'Preferences', 'privacy-bridge' ),
			'preferences_help' => __( 'Remember your preferences, such as the language.', 'privacy-bridge' ),
			'statistics'       => __( 'Statistics', 'privacy-bridge' ),
			'statistics_help'  => __( 'Count visits and show us which pages are used, so we can improve the site.', 'privacy-bridge' ),
			'marketing'        => __( 'Marketing', 'privacy-bridge' ),
			'marketing_help'   => __( 'Measure our advertising and show you our offers on other sites. Never on the checkout, your account or the session pages.', 'privacy-bridge' ),
		);
	}

	/**
	 * Cleans what the settings form posts.
	 *
	 * @param mixed $input Posted value.
	 * @return array<string, mixed>
	 */
	public static function sanitize( $input ): array {
		$input = is_array( $input ) ? $input : array();
		$clean = self::defaults();

		$clean['enabled']        = ! empty( $input['enabled'] );
		$clean['revision']       = max( 1, min( 1000000, (int) ( $input['revision'] ?? 1 ) ) );
		$version                 = (string) ( $input['policy_version'] ?? 'none' );
		$clean['policy_version'] = preg_match( '/^[A-Za-z0-9._-]{1,64}$/', $version ) ? $version : 'none';
		$url                     = esc_url_raw( (string) ( $input['policy_url'] ?? '' ) );
		$clean['policy_url']     = '' !== $url ? $url : self::policy_url();
		$since                   = (string) ( $input['gpc_since'] ?? '' );
		$clean['gpc_since']      = preg_match( '/^\d{4}-\d{2}-\d{2}$/', $since ) ? $since : $clean['gpc_since'];
		foreach ( self::CATEGORIES as $category ) {
			$raw                          = $input['cookies'][ $category ] ?? '';
			$names                        = is_array( $raw ) ? $raw : preg_split( '/[\s,]+/', (string) $raw );
			$clean['cookies'][ $category ] = array_values( array_filter( array_map( 'strval', (array) $names ), static fn ( $n ) => (bool) preg_match( '/^[A-Za-z0-9_.-]{1,64}\*?$/', $n ) ) );
		}
		foreach ( array( 'sq', 'en' ) as $lang ) {
			foreach ( self::TEXT_KEYS as $key ) {
				$text = sanitize_textarea_field( (string) ( $input['texts'][ $lang ][ $key ] ?? '' ) );
				if ( '' !== $text ) {
					$clean['texts'][ $lang ][ $key ] = $text;
				}
			}
		}
		return $clean;
	}
}

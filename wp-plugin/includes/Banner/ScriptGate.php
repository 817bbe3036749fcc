<?php
/**
 * Enqueued scripts tagged with a category are printed inert (`type="text/plain"`) and started by
 * the banner once their category is allowed.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

/**
 * `add_filter( 'privacy_bridge_banner_script_categories', fn( $map ) => $map + array( 'my-ga' => 'statistics' ) )`
 * tags a handle. WooCommerce's order attribution (Sourcebuster) is marketing by default. On a
 * sensitive page a marketing script is not printed at all.
 */
final class ScriptGate {

	/**
	 * @var bool
	 */
	private $sensitive;

	/**
	 * @var array<string, string>|null
	 */
	private $map;

	public function __construct( bool $sensitive ) {
		$this->sensitive = $sensitive;
	}

	public function register(): void {
		add_filter( 'script_loader_tag', array( $this, 'filter_tag' ), 20, 2 );
	}

	/** @return array<string, string> handle => category */
	public function categories(): array {
		if ( null === $this->map ) {
			$map       = apply_filters(
				'privacy_bridge_banner_script_categories',
				array(
					'sourcebuster-js'      => 'marketing',
					'wc-order-attribution' => 'marketing',
				)
			);
			$this->map = array_filter( is_array( $map ) ? $map : array(), static fn ( $c ) => in_array( $c, BannerSettings::CATEGORIES, true ) );
		}
		return $this->map;
	}

	/**
	 * @param string $tag    The script tags WordPress prints for the handle (with its inline parts).
	 * @param string $handle The handle.
	 */
	public function filter_tag( $tag, $handle ): string {
		$category = $this->categories()[ (string) $handle ] ?? null;
		if ( null === $category ) {
			return (string) $tag;
		}
		if ( 'marketing' === $category && $this->sensitive ) {
			return '';
		}
		return self::inert( (string) $tag, $category );
	}

	/** Every <script> in `$tag` made inert and marked, its own type kept in data-type. */
	public static function inert( string $tag, string $category ): string {
		return (string) preg_replace_callback(
			'/<script\b([^>]*)>/i',
			static function ( array $m ) use ( $category ): string {
				$attrs = (string) preg_replace( '/\stype=(["\'])(text\/javascript|module)\1/i', '', $m[1], 1, $count );
				$kept  = preg_match( '/\stype=(["\'])module\1/i', $m[1] ) ? ' data-type="module"' : '';
				if ( preg_match( '/\stype=(["\'])(?!text\/javascript|module)/i', $attrs ) ) {
					return $m[0]; // JSON and other data blocks never run anyway
				}
				return '<script type="text/plain" data-category="' . esc_attr( $category ) . '"' . $kept . $attrs . '>';
			},
			$tag
		);
	}
}

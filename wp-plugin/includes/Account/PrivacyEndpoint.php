<?php
/**
 * "Privatësia / Privacy" in WooCommerce's My Account: the endpoint, its menu item and title.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Account;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce registers the rewrite endpoint for every query var it is given (WC_Query::add_endpoints);
 * the rules are flushed once when this code's endpoint version changes.
 */
final class PrivacyEndpoint {

	const KEY             = 'privacy-bridge';
	const SLUG            = 'privacy';
	const REWRITE_VERSION = '1';
	const REWRITE_OPTION  = 'privacy_bridge_rewrite_version';

	/**
	 * @var PrivacyPage
	 */
	private $page;

	/**
	 * @var AccountActions
	 */
	private $actions;

	/**
	 * @param PrivacyPage    $page    Renders the tab.
	 * @param AccountActions $actions Handles its forms.
	 */
	public function __construct( PrivacyPage $page, AccountActions $actions ) {
		$this->page    = $page;
		$this->actions = $actions;
	}

	public function register(): void {
		add_filter( 'woocommerce_get_query_vars', array( $this, 'query_vars' ) );
		add_filter( 'woocommerce_account_menu_items', array( $this, 'menu_items' ) );
		add_filter( 'woocommerce_endpoint_' . self::KEY . '_title', array( $this, 'title' ) );
		add_action( 'woocommerce_account_' . self::KEY . '_endpoint', array( $this->page, 'render' ) );
		add_action( 'template_redirect', array( $this->actions, 'handle' ) );
		add_action( 'init', array( $this, 'flush_once' ), 99 );
	}

	/**
	 * @param mixed $vars WooCommerce's query vars.
	 * @return array<string, string>
	 */
	public function query_vars( $vars ): array {
		$vars              = is_array( $vars ) ? $vars : array();
		$vars[ self::KEY ] = self::SLUG;
		return $vars;
	}

	/**
	 * Before "Log out".
	 *
	 * @param mixed $items Menu items.
	 * @return array<string, string>
	 */
	public function menu_items( $items ): array {
		$items  = is_array( $items ) ? $items : array();
		$logout = isset( $items['customer-logout'] ) ? array( 'customer-logout' => $items['customer-logout'] ) : array();
		unset( $items['customer-logout'] );
		$items[ self::KEY ] = self::title();
		return $items + $logout;
	}

	/** The tab's title and menu label. */
	public static function title(): string {
		return __( 'Privacy', 'privacy-bridge' );
	}

	/** Hooked to `init` 99, after WooCommerce added its endpoints. */
	public function flush_once(): void {
		if ( self::REWRITE_VERSION !== get_option( self::REWRITE_OPTION ) ) {
			flush_rewrite_rules( false );
			update_option( self::REWRITE_OPTION, self::REWRITE_VERSION, true );
		}
	}
}

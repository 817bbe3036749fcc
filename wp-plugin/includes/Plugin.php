<?php
/**
 * The plugin's composition root: builds objects, adds hooks, nothing else.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Account\CustomerAccount;
use PrivacyBridge\Admin\Console;
use PrivacyBridge\Banner\Banner;
use PrivacyBridge\Admin\SettingsPage;
use PrivacyBridge\Admin\SiteHealth;
use PrivacyBridge\Checkout\CheckoutConsent;
use PrivacyBridge\Contract\DbReplayStore;
use PrivacyBridge\Contract\Verifier;
use PrivacyBridge\Http\AllowServiceUrl;
use PrivacyBridge\Mail\Mailing;
use PrivacyBridge\Outbox\Heartbeat;
use PrivacyBridge\Outbox\Outbox;
use PrivacyBridge\Outbox\OutboxTable;
use PrivacyBridge\Outbox\Scheduler;
use PrivacyBridge\Privacy\Consents;
use PrivacyBridge\Privacy\Mailer;
use PrivacyBridge\Privacy\PersonalData;
use PrivacyBridge\Privacy\RequestHooks;
use PrivacyBridge\Rest\ConsentStateController;
use PrivacyBridge\Rest\DsrController;
use PrivacyBridge\Rest\DsrPushController;
use PrivacyBridge\Rest\PingController;
use PrivacyBridge\Rest\SignedController;
use PrivacyBridge\Service\ServiceClient;

/**
 * One instance per request, reachable as Plugin::instance() for the few callers outside hooks. What a
 * front-end page view never uses is not built (nor its file loaded) until its hook fires: the signed
 * routes and the banner's route on `rest_api_init`, Site Health and WordPress's privacy tools on their
 * filters — every file loaded costs a page view time (issue 16: banner_added_ms_p95).
 */
final class Plugin {

	const DB_VERSION = '2';

	/**
	 * @var Plugin|null
	 */
	private static $instance;

	/**
	 * @var Outbox
	 */
	private $outbox;

	/**
	 * @var Consents
	 */
	private $consents;

	/**
	 * @var RequestHooks
	 */
	private $requests;

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @var OutboxTable
	 */
	private $table;

	/**
	 * @var SiteHealth|null Built when Site Health or its route first asks.
	 */
	private $site_health;

	/**
	 * @var PersonalData|null Built when WordPress's privacy tools first ask.
	 */
	private $personal_data;

	/** Called once from privacy-bridge.php. */
	public static function boot(): void {
		if ( null === self::$instance ) {
			self::$instance = new self();
			self::$instance->add_hooks();
		}
	}

	/** @return Plugin */
	public static function instance(): Plugin {
		self::boot();
		return self::$instance;
	}

	/** The outbox, for callers outside hooks (tests, WP-CLI). */
	public function outbox(): Outbox {
		return $this->outbox;
	}

	/** Consents, for callers outside hooks. */
	public function consents(): Consents {
		return $this->consents;
	}

	/** Request forwarding, for callers outside hooks. */
	public function requests(): RequestHooks {
		return $this->requests;
	}

	private function __construct() {
		$this->client   = new ServiceClient();
		$this->table    = new OutboxTable();
		$this->outbox   = new Outbox( $this->table, $this->client, new Scheduler() );
		$this->consents = new Consents( $this->outbox );
		$this->requests = new RequestHooks( $this->outbox );

		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
		( new AllowServiceUrl() )->register();
		$this->requests->register();
		( new Banner() )->register( $this->consents ); // the cookie banner (includes/Banner/)
		add_filter( 'wp_privacy_personal_data_exporters', fn ( $exporters ) => $this->personal_data()->add_exporter( $exporters ) );
		add_filter( 'wp_privacy_personal_data_erasers', fn ( $erasers ) => $this->personal_data()->add_eraser( $erasers ) );
		add_filter( 'site_status_tests', fn ( $tests ) => $this->site_health()->tests( (array) $tests ) );
		// What customers see (issue 15): consent at checkout, the My Account privacy tab, marketing mail.
		CheckoutConsent::register( $this->client, $this->consents );
		CustomerAccount::register( $this->client, $this->consents, $this->outbox );
		Mailing::register( $this->client );
		if ( is_admin() ) {
			( new Console( $this->client, $this->outbox, $this->table, new SettingsPage( $this->client ) ) )->register();
		}
	}

	/** Hooked to `rest_api_init`: the signed routes the service calls (with their early signature check) and Site Health's. */
	public function register_routes(): void {
		$verifier = new Verifier( array( Settings::class, 'keys' ), new DbReplayStore(), 'time' );
		SignedController::register_guards( $verifier );
		foreach ( array( new PingController( $verifier ), new ConsentStateController( $verifier ), new DsrController( $verifier ), new DsrPushController( $verifier, new Mailer() ) ) as $controller ) {
			$controller->register_routes();
		}
		$this->site_health()->register_routes();
	}

	private function site_health(): SiteHealth {
		return $this->site_health ?? ( $this->site_health = new SiteHealth( $this->client, $this->table ) );
	}

	private function personal_data(): PersonalData {
		return $this->personal_data ?? ( $this->personal_data = new PersonalData( $this->client ) );
	}

	private function add_hooks(): void {
		add_action( 'init', array( $this, 'load_textdomain' ) );
		add_action( 'plugins_loaded', array( self::class, 'maybe_upgrade' ) );
		add_filter( 'cron_schedules', array( Scheduler::class, 'add_interval' ) );
		add_action( Scheduler::HOOK, array( $this, 'drain_outbox' ) );
		add_action( Scheduler::HOOK . '_recurring', array( $this, 'drain_outbox' ) );
		add_action( Scheduler::HOOK . '_recurring', array( $this, 'send_heartbeat' ), 20 );
		add_action(
			'privacy_bridge_record_consent',
			function ( $record ) {
				$this->consents->record( is_array( $record ) ? $record : array() );
			}
		);
	}

	/** Hooked to `init`. */
	public function load_textdomain(): void {
		load_plugin_textdomain( 'privacy-bridge', false, dirname( plugin_basename( PRIVACY_BRIDGE_FILE ) ) . '/languages' );
	}

	/** Hooked to the drain events. */
	public function drain_outbox(): void {
		$this->outbox->drain();
	}

	/** Hooked to the five-minute event, after the drain: the outbox as it stands then. */
	public function send_heartbeat(): void {
		( new Heartbeat( $this->table, $this->client ) )->send();
	}

	/** Creates or updates the tables (dbDelta) on activation. */
	public static function activate(): void {
		self::install_tables();
		Scheduler::install();
	}

	/** Keeps the data: deactivation stops the schedule only. */
	public static function deactivate(): void {
		Scheduler::uninstall();
	}

	/** Runs dbDelta when the stored schema version is older than the code's. */
	public static function maybe_upgrade(): void {
		if ( self::DB_VERSION !== get_option( 'privacy_bridge_db_version' ) ) {
			self::install_tables();
		}
	}

	private static function install_tables(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate();
		dbDelta( OutboxTable::schema( $collate ) );
		dbDelta( DbReplayStore::schema( $collate ) );
		update_option( 'privacy_bridge_db_version', self::DB_VERSION, true );
	}
}

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
 * One instance per request, reachable as Plugin::instance() for the few callers outside hooks.
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
		$client         = new ServiceClient();
		$table          = new OutboxTable();
		$this->outbox   = new Outbox( $table, $client, new Scheduler() );
		$this->consents = new Consents( $this->outbox );
		$this->requests = new RequestHooks( $this->outbox );
		$verifier       = new Verifier( array( Settings::class, 'keys' ), new DbReplayStore(), 'time' );
		$mailer         = new Mailer();
		$controllers    = array(
			new PingController( $verifier ),
			new ConsentStateController( $verifier ),
			new DsrController( $verifier ),
			new DsrPushController( $verifier, $mailer ),
		);

		SignedController::register_guards( $verifier );
		add_action(
			'rest_api_init',
			static function () use ( $controllers ) {
				foreach ( $controllers as $controller ) {
					$controller->register_routes();
				}
			}
		);
		( new AllowServiceUrl() )->register();
		$this->requests->register();
		( new Banner() )->register( $this->consents ); // the cookie banner (includes/Banner/)
		( new PersonalData( $client ) )->register();
		( new SiteHealth( $client, $table ) )->register();
		// What customers see (issue 15): consent at checkout, the My Account privacy tab, marketing mail.
		CheckoutConsent::register( $client, $this->consents );
		CustomerAccount::register( $client, $this->consents, $this->outbox );
		Mailing::register( $client );
		if ( is_admin() ) {
			( new Console( $client, $this->outbox, $table, new SettingsPage( $client ) ) )->register();
		}
	}

	private function add_hooks(): void {
		add_action( 'init', array( $this, 'load_textdomain' ) );
		add_action( 'plugins_loaded', array( self::class, 'maybe_upgrade' ) );
		add_filter( 'cron_schedules', array( Scheduler::class, 'add_interval' ) );
		add_action( Scheduler::HOOK, array( $this, 'drain_outbox' ) );
		add_action( Scheduler::HOOK . '_recurring', array( $this, 'drain_outbox' ) );
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

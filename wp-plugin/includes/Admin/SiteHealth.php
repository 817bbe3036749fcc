<?php
/**
 * Tests on WordPress's Site Health screen (Tools → Site Health): is the bridge to the service working.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Admin;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Http\Transport;
use PrivacyBridge\Outbox\OutboxTable;
use PrivacyBridge\Rest\Errors;
use PrivacyBridge\Service\ServiceClient;
use PrivacyBridge\Settings;
use WP_REST_Response;

/**
 * Local checks run directly (the connection's encryption, the outbox, WooCommerce's webhooks); checks
 * that ask the service run asynchronously through a REST route of their own (a page load never waits
 * on the service): it answers and signatures verify, the last reconciliation is recent, the ledger
 * verified lately. Every failing test says what to do. Nothing personal is read or shown.
 */
final class SiteHealth {

	const NAMESPACE_V1 = 'privacy-bridge-site-health/v1';

	/** The outbox should empty within minutes when the service is up. */
	const OUTBOX_LATE_SECONDS = 900;

	/** A verification or reconciliation older than this many of its own intervals is late. */
	const LATE_INTERVALS = 3;

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @var OutboxTable
	 */
	private $outbox;

	/**
	 * @var array{status: int, body: mixed, code: string}|\WP_Error|null
	 */
	private $health;

	/**
	 * @param ServiceClient $client Signed client.
	 * @param OutboxTable   $outbox The outbox's table.
	 */
	public function __construct( ServiceClient $client, OutboxTable $outbox ) {
		$this->client = $client;
		$this->outbox = $outbox;
	}

	/**
	 * Hooked by Plugin to `site_status_tests`.
	 *
	 * @param array<string, array<string, mixed>> $tests WordPress's tests.
	 * @return array<string, array<string, mixed>>
	 */
	public function tests( array $tests ): array {
		$tests['direct']['privacy_bridge_encrypted'] = array(
			'label' => __( 'The connection to Privacy Bridge is encrypted', 'privacy-bridge' ),
			'test'  => array( $this, 'encrypted' ),
		);
		$tests['direct']['privacy_bridge_outbox'] = array(
			'label' => __( 'Privacy Bridge\'s outbox is draining', 'privacy-bridge' ),
			'test'  => array( $this, 'outbox' ),
		);
		if ( class_exists( 'WC_Data_Store' ) ) {
			$tests['direct']['privacy_bridge_webhooks'] = array(
				'label' => __( 'WooCommerce\'s webhooks to Privacy Bridge are active', 'privacy-bridge' ),
				'test'  => array( $this, 'webhooks' ),
			);
		}
		foreach ( array( 'service', 'sync', 'ledger' ) as $name ) {
			$tests['async'][ 'privacy_bridge_' . $name ] = array(
				'label'             => $this->label( $name ),
				'test'              => rest_url( self::NAMESPACE_V1 . '/' . $name ),
				'has_rest'          => true,
				'async_direct_test' => array( $this, $name ),
			);
		}
		return $tests;
	}

	/** Called by Plugin on `rest_api_init`: the asynchronous tests, for users who may see Site Health. */
	public function register_routes(): void {
		register_rest_route(
			self::NAMESPACE_V1,
			'/(?P<test>service|sync|ledger)',
			array(
				'methods'             => 'GET',
				'callback'            => function ( \WP_REST_Request $request ): WP_REST_Response {
					$test = (string) $request['test'];
					return new WP_REST_Response( $this->$test(), 200 );
				},
				'permission_callback' => static function () {
					return current_user_can( 'view_site_health_checks' ) ? true : Errors::error( Errors::FORBIDDEN, array( 'status' => rest_authorization_required_code() ) );
				},
			)
		);
	}

	/** @return array<string, mixed> */
	public function encrypted(): array {
		$url = Settings::service_url();
		if ( '' === $url ) {
			return $this->result( 'encrypted', 'recommended', __( 'No service URL is set (or it was refused because it is plain http to another machine).', 'privacy-bridge' ), __( 'Set an https:// service URL in Privacy Bridge → Settings.', 'privacy-bridge' ) );
		}
		if ( 'https' === strtolower( (string) wp_parse_url( $url, PHP_URL_SCHEME ) ) ) {
			return $this->result( 'encrypted', 'good', __( 'Consents, requests and exports travel to the service over https.', 'privacy-bridge' ) );
		}
		if ( Transport::is_allowed( $url, false ) ) {
			return $this->result( 'encrypted', 'good', __( 'The service runs on this machine: nothing crosses the network.', 'privacy-bridge' ) );
		}
		return $this->result( 'encrypted', 'critical', __( 'Personal data travels to the service over plain http (allowed in wp-config.php).', 'privacy-bridge' ), __( 'Serve the service over https and remove PRIVACY_BRIDGE_ALLOW_INSECURE_HTTP.', 'privacy-bridge' ) );
	}

	/** @return array<string, mixed> */
	public function outbox(): array {
		$stats = $this->outbox->stats();
		$age   = null === $stats['oldest_created_at'] ? 0 : time() - $stats['oldest_created_at'];
		if ( $stats['refused'] > 0 ) {
			/* translators: %d: number of messages. */
			return $this->result( 'outbox', 'recommended', sprintf( _n( 'The service refused %d message; it is kept aside and not retried.', 'The service refused %d messages; they are kept aside and not retried.', $stats['refused'], 'privacy-bridge' ), $stats['refused'] ), __( 'Open Privacy Bridge → Overview, fix the cause its error code names, then press "Retry now".', 'privacy-bridge' ) );
		}
		if ( $stats['count'] > 0 && $age > self::OUTBOX_LATE_SECONDS ) {
			/* translators: 1: number of messages, 2: minutes. */
			return $this->result( 'outbox', 'critical', sprintf( __( '%1$d messages have waited for the service for %2$d minutes.', 'privacy-bridge' ), $stats['count'], intdiv( $age, 60 ) ), __( 'Check that the service is running and "Test connection" in Privacy Bridge → Settings passes; the outbox sends them as soon as it answers.', 'privacy-bridge' ) );
		}
		return $this->result( 'outbox', 'good', __( 'Consents and requests reach the service without waiting.', 'privacy-bridge' ) );
	}

	/** @return array<string, mixed> */
	public function webhooks(): array {
		$base = Settings::service_url();
		$ours = array();
		foreach ( \WC_Data_Store::load( 'webhook' )->search_webhooks( array( 'limit' => -1 ) ) as $id ) {
			$webhook = wc_get_webhook( (int) $id );
			if ( $webhook && '' !== $base && 0 === strpos( $webhook->get_delivery_url(), $base . '/' ) ) {
				$ours[] = $webhook->get_status();
			}
		}
		if ( array() === $ours ) {
			return $this->result( 'webhooks', 'recommended', __( 'No WooCommerce webhook delivers to the service: changes reach it only at the next reconciliation.', 'privacy-bridge' ), __( 'Run "privacy-bridge woo connect" on the service.', 'privacy-bridge' ) );
		}
		$inactive = count( array_diff( $ours, array( 'active' ) ) );
		if ( $inactive > 0 ) {
			/* translators: %d: number of webhooks. */
			return $this->result( 'webhooks', 'critical', sprintf( _n( 'WooCommerce disabled or paused %d webhook to the service (it does so after repeated failed deliveries).', 'WooCommerce disabled or paused %d webhooks to the service (it does so after repeated failed deliveries).', $inactive, 'privacy-bridge' ), $inactive ), __( 'Run "privacy-bridge woo connect" on the service: it re-activates them.', 'privacy-bridge' ) );
		}
		return $this->result( 'webhooks', 'good', __( 'Every WooCommerce webhook to the service is active.', 'privacy-bridge' ) );
	}

	/** @return array<string, mixed> */
	public function service(): array {
		$answer = $this->health();
		if ( is_wp_error( $answer ) ) {
			return $this->result( 'service', 'critical', $answer->get_error_message(), __( 'Start the service, check the service URL in Privacy Bridge → Settings, then "Test connection".', 'privacy-bridge' ) );
		}
		if ( 401 === $answer['status'] ) {
			return $this->result( 'service', 'critical', __( 'The service answers but refuses our signature: the key id or secret differs from the service\'s PLUGIN_SIGNING_KEYS.', 'privacy-bridge' ), __( 'Copy the key id and secret of PLUGIN_SIGNING_KEYS into Privacy Bridge → Settings (or wp-config.php).', 'privacy-bridge' ) );
		}
		if ( 200 !== $answer['status'] ) {
			/* translators: %d: HTTP status. */
			return $this->result( 'service', 'critical', sprintf( __( 'The service answered with status %d.', 'privacy-bridge' ), $answer['status'] ), __( 'Look at the service\'s log and its /readyz.', 'privacy-bridge' ) );
		}
		return $this->result( 'service', 'good', __( 'The service answers and our signatures verify in both directions.', 'privacy-bridge' ) );
	}

	/** @return array<string, mixed> */
	public function sync(): array {
		$view = $this->view();
		if ( null === $view ) {
			return $this->result( 'sync', 'recommended', __( 'The service could not be asked.', 'privacy-bridge' ), __( 'See the test "Privacy Bridge answers" above.', 'privacy-bridge' ) );
		}
		$at = $view['sync']['reconciledAt'] ?? null;
		if ( null === $at ) {
			return $this->result( 'sync', 'recommended', __( 'The service has not reconciled with WooCommerce yet.', 'privacy-bridge' ), __( 'Run "privacy-bridge woo backfill" once, then the service reconciles by itself.', 'privacy-bridge' ) );
		}
		if ( $this->late( (string) $at, (int) $view['sync']['everySeconds'], (string) $view['time'] ) ) {
			/* translators: %s: date and time. */
			return $this->result( 'sync', 'recommended', sprintf( __( 'The last reconciliation with WooCommerce ran at %s: it is late.', 'privacy-bridge' ), $this->when( (string) $at ) ), __( 'Check the service\'s workers and its sync queue (privacy-bridge woo status).', 'privacy-bridge' ) );
		}
		/* translators: %s: date and time. */
		return $this->result( 'sync', 'good', sprintf( __( 'The last reconciliation with WooCommerce ran at %s.', 'privacy-bridge' ), $this->when( (string) $at ) ) );
	}

	/** @return array<string, mixed> */
	public function ledger(): array {
		$view = $this->view();
		if ( null === $view ) {
			return $this->result( 'ledger', 'recommended', __( 'The service could not be asked.', 'privacy-bridge' ), __( 'See the test "Privacy Bridge answers" above.', 'privacy-bridge' ) );
		}
		$ledger = $view['ledger'];
		if ( false === $ledger['verified'] ) {
			return $this->result( 'ledger', 'critical', __( 'The privacy ledger\'s last verification found a broken chain: its record may have been altered.', 'privacy-bridge' ), __( 'Run "privacy-bridge ledger verify" on the service: it names the first broken entry. Tell your data protection officer.', 'privacy-bridge' ) );
		}
		if ( null === $ledger['verifiedAt'] || $this->late( (string) $ledger['verifiedAt'], (int) $ledger['everySeconds'], (string) $view['time'] ) ) {
			return $this->result( 'ledger', 'recommended', __( 'The privacy ledger has not been verified lately.', 'privacy-bridge' ), __( 'Check the service\'s workers; "privacy-bridge ledger verify" verifies it at once.', 'privacy-bridge' ) );
		}
		/* translators: %s: date and time. */
		return $this->result( 'ledger', 'good', sprintf( __( 'The privacy ledger verified intact at %s.', 'privacy-bridge' ), $this->when( (string) $ledger['verifiedAt'] ) ) );
	}

	/** @return array{status: int, body: mixed, code: string}|\WP_Error The service's site-health answer, asked once per request. */
	private function health() {
		if ( null === $this->health ) {
			$this->health = $this->client->get( '/v1/site-health' );
		}
		return $this->health;
	}

	/** @return array<string, mixed>|null The answer's body when the service gave one. */
	private function view(): ?array {
		$answer = $this->health();
		return ! is_wp_error( $answer ) && 200 === $answer['status'] && is_array( $answer['body'] ) ? $answer['body'] : null;
	}

	/**
	 * @param string $at    ISO time of the last run.
	 * @param int    $every Its interval in seconds.
	 * @param string $now   The service's time.
	 */
	private function late( string $at, int $every, string $now ): bool {
		return strtotime( $now ) - strtotime( $at ) > self::LATE_INTERVALS * max( 60, $every );
	}

	/** @param string $at ISO time. */
	private function when( string $at ): string {
		return wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) strtotime( $at ) );
	}

	/** @param string $name Test name. */
	private function label( string $name ): string {
		$labels = array(
			'service' => __( 'Privacy Bridge answers', 'privacy-bridge' ),
			'sync'    => __( 'Privacy Bridge synced WooCommerce lately', 'privacy-bridge' ),
			'ledger'  => __( 'The privacy ledger verified lately', 'privacy-bridge' ),
		);
		return $labels[ $name ];
	}

	/**
	 * A result as Site Health expects it.
	 *
	 * @param string $name   Test name (without the prefix).
	 * @param string $status good | recommended | critical.
	 * @param string $what   What was found.
	 * @param string $todo   What to do, when it failed.
	 * @return array<string, mixed>
	 */
	private function result( string $name, string $status, string $what, string $todo = '' ): array {
		$labels = array(
			'encrypted' => __( 'The connection to Privacy Bridge is encrypted', 'privacy-bridge' ),
			'outbox'    => __( 'Privacy Bridge\'s outbox is draining', 'privacy-bridge' ),
			'webhooks'  => __( 'WooCommerce\'s webhooks to Privacy Bridge are active', 'privacy-bridge' ),
		);
		$failing = array(
			'encrypted' => __( 'The connection to Privacy Bridge is not encrypted', 'privacy-bridge' ),
			'outbox'    => __( 'Privacy Bridge\'s outbox is not draining', 'privacy-bridge' ),
			'webhooks'  => __( 'WooCommerce\'s webhooks to Privacy Bridge need attention', 'privacy-bridge' ),
			'service'   => __( 'Privacy Bridge does not answer as it should', 'privacy-bridge' ),
			'sync'      => __( 'Privacy Bridge has not synced WooCommerce lately', 'privacy-bridge' ),
			'ledger'    => __( 'The privacy ledger needs attention', 'privacy-bridge' ),
		);
		$label = 'good' === $status ? ( $labels[ $name ] ?? $this->label( $name ) ) : $failing[ $name ];
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Privacy', 'privacy-bridge' ),
				'color' => 'good' === $status ? 'blue' : ( 'critical' === $status ? 'red' : 'orange' ),
			),
			'description' => '<p>' . esc_html( $what ) . '</p>',
			'actions'     => '' === $todo ? '' : '<p class="privacy-bridge-site-health-todo">' . esc_html( $todo ) . '</p>',
			'test'        => 'privacy_bridge_' . $name,
		);
	}
}

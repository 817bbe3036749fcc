<?php
/**
 * The site admin's console: requests, consents, ledger, queues and the outbox.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Admin;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Schemas;
use PrivacyBridge\Outbox\Outbox;
use PrivacyBridge\Outbox\OutboxTable;
use PrivacyBridge\Service\ServiceClient;

/**
 * Everything shown is read from the service through the signed client at page load, except the
 * outbox, which is local. Each answer is checked against its contract (shared/src/contracts/console.ts
 * and dsr.ts, exported to contracts/) and only the fields the contract defines are read.
 * Capability: manage_privacy_options.
 */
final class Console {

	const CAPABILITY = 'manage_privacy_options';
	const SLUG       = 'privacy-bridge';
	const RETRY      = 'privacy_bridge_retry_outbox';

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @var Outbox
	 */
	private $outbox;

	/**
	 * @var OutboxTable
	 */
	private $table;

	/**
	 * @var SettingsPage
	 */
	private $settings;

	/**
	 * @param ServiceClient $client   Signed client.
	 * @param Outbox        $outbox   Outbox.
	 * @param OutboxTable   $table    Outbox table.
	 * @param SettingsPage  $settings Settings page.
	 */
	public function __construct( ServiceClient $client, Outbox $outbox, OutboxTable $table, SettingsPage $settings ) {
		$this->client   = $client;
		$this->outbox   = $outbox;
		$this->table    = $table;
		$this->settings = $settings;
	}

	/** Hooked by Plugin::boot(). */
	public function register(): void {
		add_action( 'admin_menu', array( $this, 'add_menu' ) );
		add_action( 'admin_post_' . self::RETRY, array( $this, 'retry_outbox' ) );
		$this->settings->register();
	}

	/** Hooked to `admin_menu`. */
	public function add_menu(): void {
		add_menu_page( __( 'Privacy Bridge', 'privacy-bridge' ), __( 'Privacy Bridge', 'privacy-bridge' ), self::CAPABILITY, self::SLUG, array( $this, 'render_overview' ), 'dashicons-shield', 80 );
		add_submenu_page( self::SLUG, __( 'Overview', 'privacy-bridge' ), __( 'Overview', 'privacy-bridge' ), self::CAPABILITY, self::SLUG, array( $this, 'render_overview' ) );
		add_submenu_page( self::SLUG, __( 'Requests', 'privacy-bridge' ), __( 'Requests', 'privacy-bridge' ), self::CAPABILITY, self::SLUG . '-requests', array( $this, 'render_requests' ) );
		add_submenu_page( self::SLUG, __( 'Consent log', 'privacy-bridge' ), __( 'Consent log', 'privacy-bridge' ), self::CAPABILITY, self::SLUG . '-consents', array( $this, 'render_consents' ) );
		add_submenu_page( self::SLUG, __( 'Settings', 'privacy-bridge' ), __( 'Settings', 'privacy-bridge' ), self::CAPABILITY, self::SLUG . '-settings', array( $this->settings, 'render' ) );
	}

	/** Ledger status and head, queue health, outbox backlog. */
	public function render_overview(): void {
		$this->open( __( 'Privacy Bridge', 'privacy-bridge' ), 'overview' );
		echo '<h2>' . esc_html__( 'Ledger', 'privacy-bridge' ) . '</h2><div id="privacy-bridge-ledger">';
		$ledger = $this->body( $this->client->get( '/v1/ledger/status' ), 'ledger-status' );
		if ( null !== $ledger ) {
			$ok = true === $ledger['verified'];
			echo '<p class="privacy-bridge-ledger-verdict ' . ( $ok ? 'is-ok' : 'is-broken' ) . '">' . ( $ok ? esc_html__( 'Chain verified', 'privacy-bridge' ) : esc_html__( 'Chain NOT verified', 'privacy-bridge' ) ) . '</p>';
			/* translators: 1: sequence number, 2: hash. */
			echo '<p>' . esc_html( sprintf( __( 'Head: #%1$s %2$s', 'privacy-bridge' ), (string) $ledger['head']['seq'], (string) $ledger['head']['hash'] ) ) . '</p>';
		}
		echo '</div><h2>' . esc_html__( 'Queues', 'privacy-bridge' ) . '</h2><div id="privacy-bridge-queues">';
		$queues = $this->body( $this->client->get( '/v1/admin/queues' ), 'queue-health' );
		if ( null !== $queues ) {
			$this->table_of(
				array(
					'name'    => __( 'Queue', 'privacy-bridge' ),
					'waiting' => __( 'Waiting', 'privacy-bridge' ),
					'active'  => __( 'Active', 'privacy-bridge' ),
					'delayed' => __( 'Delayed', 'privacy-bridge' ),
					'failed'  => __( 'Failed', 'privacy-bridge' ),
				),
				$queues['queues']
			);
		}
		echo '</div>';
		$this->render_outbox();
		echo '</div>';
	}

	/** Requests with kind, state, deadline countdown and timeline (GET /v1/admin/requests at the service). */
	public function render_requests(): void {
		$this->open( __( 'Privacy requests', 'privacy-bridge' ), 'requests' );
		$answer = $this->client->get( '/v1/admin/requests' );
		echo '<div id="privacy-bridge-requests">';
		if ( ! is_wp_error( $answer ) && 404 === $answer['status'] && in_array( $answer['code'], array( '', 'NOT_FOUND' ), true ) ) {
			// The service's catch-all NOT_FOUND: the route itself is missing (an older service).
			echo '<p class="privacy-bridge-unavailable privacy-bridge-requests-missing notice notice-info">' . esc_html__( 'This version of the Privacy Bridge service cannot list requests yet. Update the service; requests are still processed, and each one shows its state in Tools → Export Personal Data and Erase Personal Data.', 'privacy-bridge' ) . '</p>';
		} else {
			$list = $this->body( $answer, 'dsr-admin-request-list' );
			if ( null !== $list ) {
				$this->requests_table( $list['items'] );
			}
		}
		echo '</div></div>';
	}

	/**
	 * @param array<int, array<string, mixed>> $items The service's request views (dsr-admin-request-list).
	 */
	private function requests_table( array $items ): void {
		if ( array() === $items ) {
			echo '<p class="privacy-bridge-empty">' . esc_html__( 'No privacy requests yet.', 'privacy-bridge' ) . '</p>';
			return;
		}
		echo '<table class="widefat striped"><thead><tr><th>' . esc_html__( 'Request', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Kind', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'State', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Deadline', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Timeline', 'privacy-bridge' ) . '</th></tr></thead><tbody>';
		foreach ( $items as $item ) {
			$deadline = strtotime( $item['deadline'] );
			$left     = $deadline ? (int) floor( ( $deadline - time() ) / DAY_IN_SECONDS ) : null;
			$timeline = array();
			foreach ( $item['timeline'] as $step ) {
				$timeline[] = $step['state'] . ' ' . $step['at'];
			}
			echo '<tr class="privacy-bridge-request"><td>' . esc_html( $item['id'] ) . '</td><td>' . esc_html( $item['kind'] ) . '</td><td>' . esc_html( $item['state'] ) . '</td><td>';
			if ( null === $left ) {
				echo '—';
			} elseif ( $left < 0 ) {
				/* translators: %d: days past the deadline. */
				echo '<strong>' . esc_html( sprintf( _n( '%d day overdue', '%d days overdue', -$left, 'privacy-bridge' ), -$left ) ) . '</strong>';
			} else {
				/* translators: %d: days left until the deadline. */
				echo esc_html( sprintf( _n( '%d day left', '%d days left', $left, 'privacy-bridge' ), $left ) );
			}
			echo '</td><td>' . esc_html( implode( ' → ', $timeline ) ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/** Consent log search by email (POSTed, so the address stays out of URLs and access logs). */
	public function render_consents(): void {
		$this->open( __( 'Consent log', 'privacy-bridge' ), 'consents' );
		echo '<form method="post" id="privacy-bridge-consent-search">';
		wp_nonce_field( 'privacy_bridge_consent_search' );
		echo '<label for="privacy-bridge-email">' . esc_html__( 'Email address', 'privacy-bridge' ) . '</label> <input type="email" id="privacy-bridge-email" name="privacy_bridge_email" required /> ';
		submit_button( __( 'Search', 'privacy-bridge' ), 'secondary', 'submit', false );
		echo '</form>';
		if ( isset( $_POST['privacy_bridge_email'] ) && check_admin_referer( 'privacy_bridge_consent_search' ) ) {
			$email  = sanitize_email( wp_unslash( $_POST['privacy_bridge_email'] ) );
			$found = $this->body( $this->client->post( '/v1/admin/consents/search', array( 'email' => $email ) ), 'consent-search-result' );
			echo '<div id="privacy-bridge-consent-results">';
			if ( null !== $found && $found['erased'] ) {
				echo '<p class="privacy-bridge-erased notice notice-info">' . esc_html__( 'This person\'s data was erased: the consent log no longer links any consent to this address.', 'privacy-bridge' ) . '</p>';
			} elseif ( null !== $found ) {
				$this->table_of(
					array(
						'purpose'  => __( 'Purpose', 'privacy-bridge' ),
						'decision' => __( 'Decision', 'privacy-bridge' ),
						'source'   => __( 'Source', 'privacy-bridge' ),
						'at'       => __( 'When', 'privacy-bridge' ),
					),
					$found['items']
				);
			}
			echo '</div>';
		}
		echo '</div>';
	}

	/** Local outbox backlog and "retry now". */
	private function render_outbox(): void {
		$stats = $this->table->stats();
		echo '<h2>' . esc_html__( 'Outbox', 'privacy-bridge' ) . '</h2><div id="privacy-bridge-outbox">';
		/* translators: %d: number of messages waiting. */
		echo '<p class="privacy-bridge-backlog">' . esc_html( sprintf( _n( '%d message waiting for the service.', '%d messages waiting for the service.', $stats['count'], 'privacy-bridge' ), $stats['count'] ) ) . '</p>';
		if ( $stats['count'] > 0 ) {
			/* translators: 1: oldest message date, 2: next attempt date, 3: attempts. */
			echo '<p>' . esc_html( sprintf( __( 'Oldest: %1$s. Next attempt: %2$s. Most attempts: %3$d.', 'privacy-bridge' ), wp_date( 'Y-m-d H:i', (int) $stats['oldest_created_at'] ), wp_date( 'Y-m-d H:i', (int) $stats['next_attempt_at'] ), $stats['max_attempts'] ) ) . '</p>';
		}
		if ( $stats['refused'] > 0 ) {
			/* translators: 1: number of refused messages, 2: days they are kept. */
			echo '<p class="privacy-bridge-refused notice notice-error">' . esc_html( sprintf( _n( '%1$d message was refused by the service and is no longer retried. Fix the cause shown below, then press Retry now; refused messages are deleted after %2$d days.', '%1$d messages were refused by the service and are no longer retried. Fix the cause shown below, then press Retry now; refused messages are deleted after %2$d days.', $stats['refused'], 'privacy-bridge' ), $stats['refused'], Outbox::REFUSED_KEEP_DAYS ) ) . '</p>';
		}
		if ( $stats['count'] > 0 || $stats['refused'] > 0 ) {
			$rows = array();
			foreach ( $stats['last_errors'] as $code => $n ) {
				$rows[] = array( 'error' => $code, 'messages' => $n );
			}
			$this->table_of(
				array(
					'error'    => __( 'Error', 'privacy-bridge' ),
					'messages' => __( 'Messages', 'privacy-bridge' ),
				),
				$rows
			);
		}
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '"><input type="hidden" name="action" value="' . esc_attr( self::RETRY ) . '" />';
		wp_nonce_field( self::RETRY );
		submit_button( __( 'Retry now', 'privacy-bridge' ), 'primary', 'privacy-bridge-retry', false );
		echo '</form></div>';
	}

	/** admin-post: makes the backlog due and sends what it can at once. */
	public function retry_outbox(): void {
		check_admin_referer( self::RETRY );
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'privacy-bridge' ), '', array( 'response' => 403 ) );
		}
		$this->outbox->retry_now();
		$result = $this->outbox->drain();
		wp_safe_redirect( add_query_arg( array( 'page' => self::SLUG, 'privacy_bridge_sent' => $result['sent'] ), admin_url( 'admin.php' ) ) );
		exit;
	}

	/**
	 * @param string $title Page title.
	 * @param string $id    Page id.
	 */
	private function open( string $title, string $id ): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'privacy-bridge' ), '', array( 'response' => 403 ) );
		}
		echo '<div class="wrap privacy-bridge privacy-bridge-' . esc_attr( $id ) . '"><h1>' . esc_html( $title ) . '</h1>';
		if ( isset( $_GET['privacy_bridge_sent'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- display only.
			/* translators: %d: messages delivered. */
			echo '<div class="notice notice-info"><p>' . esc_html( sprintf( __( 'Delivered %d messages.', 'privacy-bridge' ), absint( $_GET['privacy_bridge_sent'] ) ) ) . '</p></div>'; // phpcs:ignore WordPress.Security.NonceVerification.Recommended
		}
	}

	/**
	 * The answer's body when the service gave one in its contract's shape; otherwise prints why not.
	 *
	 * @param array<string, mixed>|\WP_Error $answer   Client answer.
	 * @param string                         $contract The answer's contract (contracts/<name>.json).
	 * @return array<string, mixed>|null
	 */
	private function body( $answer, string $contract ): ?array {
		if ( is_wp_error( $answer ) ) {
			$this->unavailable( $answer->get_error_message() );
			return null;
		}
		if ( $answer['status'] < 200 || $answer['status'] >= 300 ) {
			/* translators: %d: HTTP status. */
			$this->unavailable( sprintf( __( 'The service answered with status %d.', 'privacy-bridge' ), $answer['status'] ) );
			return null;
		}
		$schema = Schemas::get( $contract );
		if ( ! is_array( $answer['body'] ) || null === $schema || true !== Schemas::validate( $answer['body'], $schema ) ) {
			$this->unavailable( __( 'The service answered in a shape this plugin does not know: update the plugin and the service to matching versions.', 'privacy-bridge' ) );
			return null;
		}
		return $answer['body'];
	}

	/** @param string $why Translated reason. */
	private function unavailable( string $why ): void {
		echo '<p class="privacy-bridge-unavailable notice notice-warning">' . esc_html( $why ) . '</p>';
	}

	/**
	 * @param array<string, string>            $columns Row key => translated heading.
	 * @param array<int, array<string, mixed>> $rows    Rows.
	 */
	private function table_of( array $columns, array $rows ): void {
		echo '<table class="widefat striped"><thead><tr>';
		foreach ( $columns as $heading ) {
			echo '<th>' . esc_html( $heading ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $rows as $row ) {
			echo '<tr>';
			foreach ( array_keys( $columns ) as $c ) {
				echo '<td>' . esc_html( is_scalar( $row[ $c ] ?? '' ) ? (string) ( $row[ $c ] ?? '' ) : (string) wp_json_encode( $row[ $c ] ) ) . '</td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table>';
	}
}

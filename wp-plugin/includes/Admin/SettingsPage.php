<?php
/**
 * Settings: service URL, key id and secret, and a test-connection button.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Admin;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Http\Transport;
use PrivacyBridge\Service\ServiceClient;
use PrivacyBridge\Settings;

/**
 * The secret is write-only: the form never prints it back. Saving a new key id keeps the old key as
 * "previous", which still verifies the service's messages while both sides rotate.
 */
final class SettingsPage {

	const SAVE = 'privacy_bridge_save_settings';
	const TEST = 'privacy_bridge_test_connection';

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @param ServiceClient $client Signed client.
	 */
	public function __construct( ServiceClient $client ) {
		$this->client = $client;
	}

	/** Hooked by Console::register(). */
	public function register(): void {
		add_action( 'admin_post_' . self::SAVE, array( $this, 'save' ) );
		add_action( 'admin_post_' . self::TEST, array( $this, 'test_connection' ) );
	}

	/** The page. */
	public function render(): void {
		if ( ! current_user_can( Console::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'privacy-bridge' ), '', array( 'response' => 403 ) );
		}
		$raw    = Settings::raw();
		$result = get_transient( 'privacy_bridge_test_' . get_current_user_id() );
		echo '<div class="wrap privacy-bridge privacy-bridge-settings"><h1>' . esc_html__( 'Privacy Bridge settings', 'privacy-bridge' ) . '</h1>';
		if ( is_array( $result ) ) {
			delete_transient( 'privacy_bridge_test_' . get_current_user_id() );
			echo '<div id="privacy-bridge-test-result" class="notice ' . ( $result['ok'] ? 'notice-success' : 'notice-error' ) . '"><p>' . esc_html( (string) $result['message'] ) . '</p></div>';
		}
		if ( isset( $_GET['insecure'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a notice flag only.
			echo '<div id="privacy-bridge-insecure" class="notice notice-error"><p>' . esc_html__( 'Not saved: the service URL must use https (plain http is allowed only to this machine, or with PRIVACY_BRIDGE_ALLOW_INSECURE_HTTP in wp-config.php).', 'privacy-bridge' ) . '</p></div>';
		}
		if ( Settings::from_constants() ) {
			echo '<p class="notice notice-info">' . esc_html__( 'These settings are set in wp-config.php and cannot be changed here.', 'privacy-bridge' ) . '</p>';
		}
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" id="privacy-bridge-settings-form"><input type="hidden" name="action" value="' . esc_attr( self::SAVE ) . '" />';
		wp_nonce_field( self::SAVE );
		echo '<table class="form-table"><tr><th><label for="privacy-bridge-service-url">' . esc_html__( 'Service URL', 'privacy-bridge' ) . '</label></th><td><input type="url" class="regular-text" id="privacy-bridge-service-url" name="service_url" value="' . esc_attr( Settings::service_url() ) . '" /></td></tr>';
		echo '<tr><th><label for="privacy-bridge-key-id">' . esc_html__( 'Key id', 'privacy-bridge' ) . '</label></th><td><input type="text" id="privacy-bridge-key-id" name="key_id" value="' . esc_attr( $raw['key_id'] ) . '" /></td></tr>';
		echo '<tr><th><label for="privacy-bridge-secret">' . esc_html__( 'Secret', 'privacy-bridge' ) . '</label></th><td><input type="password" id="privacy-bridge-secret" name="secret" value="" autocomplete="new-password" placeholder="' . esc_attr( '' !== $raw['secret'] ? __( '(set — leave empty to keep)', 'privacy-bridge' ) : '' ) . '" />';
		echo '<p class="description">' . esc_html__( 'At least 32 characters; the same id:secret pair as PLUGIN_SIGNING_KEYS on the service.', 'privacy-bridge' ) . '</p></td></tr></table>';
		submit_button( __( 'Save settings', 'privacy-bridge' ) );
		echo '</form><form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" id="privacy-bridge-test-form"><input type="hidden" name="action" value="' . esc_attr( self::TEST ) . '" />';
		wp_nonce_field( self::TEST );
		submit_button( __( 'Test connection', 'privacy-bridge' ), 'secondary', 'privacy-bridge-test' );
		echo '</form></div>';
	}

	/** admin-post: saves. */
	public function save(): void {
		check_admin_referer( self::SAVE );
		if ( ! current_user_can( Console::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'privacy-bridge' ), '', array( 'response' => 403 ) );
		}
		$old    = Settings::raw();
		$url    = esc_url_raw( trim( (string) wp_unslash( $_POST['service_url'] ?? '' ) ), array( 'http', 'https' ) );
		if ( '' !== $url && ! Transport::is_allowed( $url, Transport::insecure_allowed() ) ) {
			wp_safe_redirect( admin_url( 'admin.php?page=' . Console::SLUG . '-settings&insecure=1' ) );
			exit;
		}
		$key_id = preg_replace( '/[^A-Za-z0-9._-]/', '', (string) wp_unslash( $_POST['key_id'] ?? '' ) );
		$secret = (string) wp_unslash( $_POST['secret'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- a secret, kept verbatim.
		$new    = array(
			'service_url'     => $url,
			'key_id'          => (string) $key_id,
			'secret'          => '' === $secret ? $old['secret'] : $secret,
			'previous_key_id' => $old['previous_key_id'],
			'previous_secret' => $old['previous_secret'],
		);
		if ( '' !== $old['key_id'] && $old['key_id'] !== $new['key_id'] ) {
			$new['previous_key_id'] = $old['key_id'];
			$new['previous_secret'] = $old['secret'];
		}
		update_option( Settings::OPTION, $new, false );
		wp_safe_redirect( admin_url( 'admin.php?page=' . Console::SLUG . '-settings&updated=1' ) );
		exit;
	}

	/** admin-post: a signed GET /v1/ping, with a result an admin can act on. */
	public function test_connection(): void {
		check_admin_referer( self::TEST );
		if ( ! current_user_can( Console::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'privacy-bridge' ), '', array( 'response' => 403 ) );
		}
		set_transient( 'privacy_bridge_test_' . get_current_user_id(), $this->describe( $this->client->get( '/v1/ping' ) ), 300 );
		wp_safe_redirect( admin_url( 'admin.php?page=' . Console::SLUG . '-settings' ) );
		exit;
	}

	/**
	 * @param array<string, mixed>|\WP_Error $answer Client answer.
	 * @return array{ok: bool, message: string}
	 */
	public function describe( $answer ): array {
		if ( is_wp_error( $answer ) ) {
			return array( 'ok' => false, 'message' => $answer->get_error_message() );
		}
		$status = (int) $answer['status'];
		if ( $status >= 200 && $status < 300 ) {
			return array( 'ok' => true, 'message' => __( 'Connected: the service accepted our signature.', 'privacy-bridge' ) );
		}
		if ( 401 === $status ) {
			return array( 'ok' => false, 'message' => __( 'The service is reachable but refused our signature: check the key id and secret, and both clocks.', 'privacy-bridge' ) );
		}
		if ( 404 === $status ) {
			return array( 'ok' => false, 'message' => __( 'The service is reachable, but it has no /v1/ping: check the URL, or update the service.', 'privacy-bridge' ) );
		}
		/* translators: %d: HTTP status. */
		return array( 'ok' => false, 'message' => sprintf( __( 'The service answered with status %d.', 'privacy-bridge' ), $status ) );
	}
}

<?php
/**
 * WordPress's privacy requests go to the service.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Privacy;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Contract\Schemas;
use PrivacyBridge\Outbox\Outbox;
use WP_User_Request;

/**
 * When a person confirms through WordPress's emailed link (`user_request_action_confirmed`), and
 * when an admin picks "Process in background" on Tools → Export/Erase Personal Data, the request is
 * queued for the service's POST /v1/requests (CreateDsrRequest), naming the admin who acted in wp-admin
 * (`wpUserId`) when one did.
 */
final class RequestHooks {

	const ADMIN_ACTION = 'privacy_bridge_process_request';
	const KINDS        = array(
		'export_personal_data' => 'access',
		'remove_personal_data' => 'erasure',
	);

	/**
	 * @var Outbox
	 */
	private $outbox;

	/**
	 * @param Outbox $outbox Outbox.
	 */
	public function __construct( Outbox $outbox ) {
		$this->outbox = $outbox;
	}

	/** Hooked by Plugin::boot(). */
	public function register(): void {
		add_action( 'save_post_user_request', array( $this, 'on_request_saved' ), 10, 3 );
		add_action( 'user_request_action_confirmed', array( $this, 'on_confirmed' ), 20 );
		add_action( 'admin_post_' . self::ADMIN_ACTION, array( $this, 'on_process_in_background' ) );
		foreach ( array( 'export-personal-data', 'erase-personal-data' ) as $screen ) {
			add_filter( "manage_{$screen}_columns", array( $this, 'add_column' ) );
			add_action( "manage_{$screen}_custom_column", array( $this, 'render_column' ), 10, 2 );
		}
	}

	/**
	 * A request added in wp-admin (Tools → Export/Erase Personal Data) remembers the admin who added it, so the
	 * service can name them when the person confirms later. The person's own requests (My Account) record no one.
	 *
	 * @param int      $post_id Request id.
	 * @param \WP_Post $post    Request post.
	 * @param bool     $update  Whether an existing request was saved again.
	 */
	public function on_request_saved( $post_id, $post = null, $update = false ): void {
		if ( $update || ! is_admin() || ! current_user_can( 'manage_privacy_options' ) ) {
			return;
		}
		update_post_meta( (int) $post_id, UserRequests::META_STARTED_BY, get_current_user_id() );
	}

	/**
	 * The WordPress user who acted in wp-admin: the admin processing it now, else the one who added it.
	 *
	 * @param int    $request_id Request id.
	 * @param string $via        email-confirmation | admin.
	 * @return int User id, 0 for none.
	 */
	public static function actor( int $request_id, string $via ): int {
		if ( 'admin' === $via ) {
			return get_current_user_id();
		}
		return absint( get_post_meta( $request_id, UserRequests::META_STARTED_BY, true ) );
	}

	/**
	 * @param int $request_id Request id.
	 */
	public function on_confirmed( $request_id ): void {
		$this->forward( (int) $request_id, 'email-confirmation' );
	}

	/**
	 * Queues one request. Returns false for kinds the service does not handle.
	 *
	 * @param int    $request_id Request id.
	 * @param string $via        email-confirmation | admin.
	 */
	public function forward( int $request_id, string $via ): bool {
		$request = UserRequests::find( $request_id );
		if ( ! $request instanceof WP_User_Request || ! isset( self::KINDS[ $request->action_name ] ) ) {
			return false;
		}
		$user      = $request->user_id ? get_user_by( 'id', $request->user_id ) : get_user_by( 'email', $request->email );
		$locale    = $user ? get_user_locale( $user ) : get_locale();
		$confirmed = 'email-confirmation' === $via || 'request-confirmed' === $request->status || (bool) $request->confirmed_timestamp;
		$body      = self::body( self::KINDS[ $request->action_name ], $request->email, $request->ID, $confirmed, $locale, self::actor( $request->ID, $via ) );
		if ( true !== Schemas::validate( $body, (array) Schemas::get( 'create-dsr-request' ) ) ) {
			return false; // E.g. an address the service's contract refuses: nothing to queue, and nothing logged.
		}
		$queued_id = $this->outbox->enqueue( 'admin' === $via ? 'admin-action' : 'request', '/v1/requests', $body );
		if ( null !== $queued_id ) {
			UserRequests::set_state( $request->ID, 'forwarded' );
		}
		return null !== $queued_id;
	}

	/**
	 * The CreateDsrRequest for one WordPress request. Pure.
	 *
	 * @param string $kind          access | erasure.
	 * @param string $email         The person's address.
	 * @param int    $wp_request_id The `user_request` post id.
	 * @param bool   $confirmed     WordPress's e-mailed link was followed.
	 * @param string $locale        The person's (or the site's) WordPress locale.
	 * @param int    $actor         The WordPress user who acted in wp-admin, 0 for none.
	 * @return array<string, mixed>
	 */
	public static function body( string $kind, string $email, int $wp_request_id, bool $confirmed, string $locale, int $actor ): array {
		$body = array(
			'kind'        => $kind,
			'email'       => $email,
			'wpRequestId' => $wp_request_id,
			// WordPress's emailed link proves control of the address; an unconfirmed request waits for the service's own check.
			'identity'    => array(
				'verified' => $confirmed,
				'method'   => $confirmed ? 'wordpress-email-confirmation' : 'not-verified',
			),
			'locale'      => 0 === strpos( $locale, 'sq' ) ? 'sq' : 'en',
		);
		if ( $actor > 0 ) {
			$body['wpUserId'] = $actor; // The service ledgers it as the actor (wp-user:<id>): an id, never a name or e-mail.
		}
		return $body;
	}

	/** admin-post.php?action=privacy_bridge_process_request&request_id=N (nonce-checked). */
	public function on_process_in_background(): void {
		$request_id = isset( $_GET['request_id'] ) ? absint( $_GET['request_id'] ) : 0;
		check_admin_referer( self::ADMIN_ACTION . '_' . $request_id );
		if ( ! current_user_can( 'manage_privacy_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'privacy-bridge' ), '', array( 'response' => 403 ) );
		}
		$ok = $this->forward( $request_id, 'admin' );
		wp_safe_redirect( add_query_arg( 'privacy_bridge_forwarded', $ok ? '1' : '0', wp_get_referer() ? wp_get_referer() : admin_url( 'export-personal-data.php' ) ) );
		exit;
	}

	/**
	 * @param array<string, string> $columns Columns.
	 * @return array<string, string>
	 */
	public function add_column( $columns ): array {
		$columns                   = is_array( $columns ) ? $columns : array();
		$columns['privacy_bridge'] = esc_html__( 'Privacy Bridge', 'privacy-bridge' );
		return $columns;
	}

	/**
	 * @param string          $column Column.
	 * @param WP_User_Request $item   Request.
	 */
	public function render_column( $column, $item ): void {
		if ( 'privacy_bridge' !== $column || ! $item instanceof WP_User_Request ) {
			return;
		}
		$state = UserRequests::get( $item->ID );
		if ( '' !== $state['state'] ) {
			echo '<span class="privacy-bridge-state">' . esc_html( $state['state'] ) . '</span><br />';
		}
		if ( '' !== $state['export_url'] ) {
			echo '<a href="' . esc_url( $state['export_url'] ) . '">' . esc_html__( 'Export link', 'privacy-bridge' ) . '</a><br />';
		}
		$url = wp_nonce_url( admin_url( 'admin-post.php?action=' . self::ADMIN_ACTION . '&request_id=' . $item->ID ), self::ADMIN_ACTION . '_' . $item->ID );
		echo '<a class="privacy-bridge-process" href="' . esc_url( $url ) . '">' . esc_html__( 'Process in background', 'privacy-bridge' ) . '</a>';
	}
}

<?php
/**
 * The one-click unsubscribe page on the shop's own site, in its theme and the customer's language.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Mail;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Settings;

/**
 * `/?privacy-bridge-unsubscribe=<token>`. GET shows a question and a button (mail scanners follow
 * links; they must not unsubscribe anyone); POST with `List-Unsubscribe=One-Click` (RFC 8058, what mail
 * clients send, and what the button sends) passes the token to the service, which records the
 * withdrawal; the token is the only credential, so no nonce. The page is the theme's header and footer
 * around our message.
 */
final class UnsubscribePage {

	const VAR = 'privacy-bridge-unsubscribe';

	/**
	 * @param string $token Token from the service.
	 */
	public static function url( string $token ): string {
		return add_query_arg( self::VAR, rawurlencode( $token ), home_url( '/' ) );
	}

	public function register(): void {
		add_action( 'template_redirect', array( $this, 'serve' ), 1 );
	}

	/** Hooked to `template_redirect`. */
	public function serve(): void {
		// phpcs:disable WordPress.Security.NonceVerification -- RFC 8058 one-click: the signed token is the credential.
		$token = isset( $_GET[ self::VAR ] ) && is_string( $_GET[ self::VAR ] ) ? sanitize_text_field( wp_unslash( $_GET[ self::VAR ] ) ) : '';
		if ( '' === $token ) {
			return;
		}
		$valid  = 1 === preg_match( '/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/', $token );
		$method = isset( $_SERVER['REQUEST_METHOD'] ) ? strtoupper( sanitize_text_field( wp_unslash( $_SERVER['REQUEST_METHOD'] ) ) ) : 'GET';
		$post   = 'POST' === $method && isset( $_POST['List-Unsubscribe'] ) && 'One-Click' === $_POST['List-Unsubscribe'];
		// phpcs:enable
		if ( ! $valid ) {
			$this->page( 404, __( 'This unsubscribe link is not valid.', 'privacy-bridge' ), '' );
		}
		if ( $post ) {
			$done = $this->withdraw( $token );
			$this->page( $done ? 200 : 404, $done ? __( 'Done: you will not receive news or offers from us any more.', 'privacy-bridge' ) : __( 'This unsubscribe link is not valid.', 'privacy-bridge' ), '' );
		}
		$this->page( 200, __( 'Do you want to stop receiving news and offers from us by e-mail?', 'privacy-bridge' ), $token );
	}

	/**
	 * Forwards the one-click POST to the service (which ledgers the withdrawal).
	 *
	 * @param string $token Token.
	 */
	private function withdraw( string $token ): bool {
		$base = Settings::service_url();
		if ( '' === $base ) {
			return false;
		}
		$answer = wp_safe_remote_post(
			$base . '/v1/unsubscribe/' . rawurlencode( $token ),
			array(
				'body'        => array( 'List-Unsubscribe' => 'One-Click' ),
				'timeout'     => 10,
				'redirection' => 0,
			)
		);
		return ! is_wp_error( $answer ) && 200 === (int) wp_remote_retrieve_response_code( $answer );
	}

	/**
	 * The theme's page around one message (and the button, for a GET), then exit.
	 *
	 * @param int    $status HTTP status.
	 * @param string $text   Message.
	 * @param string $token  Token for the button, or '' for none.
	 */
	private function page( int $status, string $text, string $token ): void {
		status_header( $status );
		nocache_headers();
		header( 'Content-Type: text/html; charset=utf-8' );
		?><!DOCTYPE html>
<html <?php language_attributes(); ?>>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><?php wp_head(); ?></head>
<body <?php body_class( 'privacy-bridge-unsubscribe' ); ?>>
		<?php
		$block_theme = function_exists( 'wp_is_block_theme' ) && wp_is_block_theme();
		if ( $block_theme ) {
			echo do_blocks( '<!-- wp:template-part {"slug":"header","tagName":"header"} /-->' ); // phpcs:ignore WordPress.Security.EscapeOutput -- the theme's own markup.
		}
		echo '<main class="wp-block-group is-layout-constrained" style="padding:3rem 1.5rem"><h1>' . esc_html__( 'News and offers by e-mail', 'privacy-bridge' ) . '</h1><p class="privacy-bridge-unsubscribe-text">' . esc_html( $text ) . '</p>';
		if ( '' !== $token ) {
			echo '<form method="post" action="' . esc_url( self::url( $token ) ) . '"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" class="wp-element-button">' . esc_html__( 'Unsubscribe', 'privacy-bridge' ) . '</button></form>';
		}
		echo '</main>';
		if ( $block_theme ) {
			echo do_blocks( '<!-- wp:template-part {"slug":"footer","tagName":"footer"} /-->' ); // phpcs:ignore WordPress.Security.EscapeOutput -- the theme's own markup.
		}
		wp_footer();
		echo '</body></html>';
		exit;
	}
}

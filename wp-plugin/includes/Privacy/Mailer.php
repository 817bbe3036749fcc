<?php
/**
 * Tells the person, in their language, through WordPress's mailer.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Privacy;

defined( 'ABSPATH' ) || exit;

use WP_User_Request;

/**
 * Language: the one the service gives, else the account's, else the site's — as wp_send_user_request() does.
 */
final class Mailer {

	/**
	 * @param WP_User_Request $request    Request.
	 * @param string          $url        Download link.
	 * @param int             $expires_at Unix seconds.
	 * @param string          $locale     Locale from the service, or ''.
	 */
	public function export_ready( WP_User_Request $request, string $url, int $expires_at, string $locale ): bool {
		return $this->in_locale(
			$this->locale_for( $request, $locale ),
			function () use ( $request, $url, $expires_at ) {
				/* translators: %s: site title. */
				$subject = sprintf( __( '[%s] Your personal data export is ready', 'privacy-bridge' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ) );
				/* translators: 1: download link, 2: expiry date. */
				$body = sprintf( __( "Your personal data export is ready.\n\nDownload it here: %1\$s\n\nThe link works until %2\$s.", 'privacy-bridge' ), $url, wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $expires_at ) );
				return wp_mail( $request->email, $subject, $body );
			}
		);
	}

	/**
	 * @param WP_User_Request                                                         $request Request.
	 * @param array<int, array{item: string, action: string, reason?: string, until?: string}> $items Items.
	 * @param string                                                                  $receipt_url Link or ''.
	 * @param string                                                                  $locale Locale or ''.
	 */
	public function erasure_receipt( WP_User_Request $request, array $items, string $receipt_url, string $locale ): bool {
		return $this->in_locale(
			$this->locale_for( $request, $locale ),
			function () use ( $request, $items, $receipt_url ) {
				/* translators: %s: site title. */
				$subject = sprintf( __( '[%s] Your erasure request has been completed', 'privacy-bridge' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ) );
				$lines   = array( __( 'We have completed your erasure request. Item by item:', 'privacy-bridge' ), '' );
				foreach ( $items as $item ) {
					$lines[] = 'removed' === $item['action']
						/* translators: %s: item description. */
						? sprintf( __( 'Erased: %s', 'privacy-bridge' ), $item['item'] )
						/* translators: 1: item description, 2: reason. */
						: sprintf( __( 'Kept: %1$s — %2$s', 'privacy-bridge' ), $item['item'], $item['reason'] ?? '' );
				}
				if ( '' !== $receipt_url ) {
					/* translators: %s: link to the receipt. */
					$lines[] = "\n" . sprintf( __( 'Your receipt: %s', 'privacy-bridge' ), $receipt_url );
				}
				return wp_mail( $request->email, $subject, implode( "\n", $lines ) );
			}
		);
	}

	/**
	 * @param WP_User_Request $request Request.
	 * @param string          $given   Locale from the service.
	 */
	private function locale_for( WP_User_Request $request, string $given ): string {
		if ( '' !== $given ) {
			return $given;
		}
		$user = $request->user_id ? get_user_by( 'id', $request->user_id ) : get_user_by( 'email', $request->email );
		return $user ? get_user_locale( $user ) : get_locale();
	}

	/**
	 * @param string   $locale Locale.
	 * @param callable $send   Sends the mail.
	 */
	private function in_locale( string $locale, callable $send ): bool {
		$switched = switch_to_locale( $locale );
		$this->load_textdomain( $locale );
		try {
			return (bool) $send();
		} finally {
			if ( $switched ) {
				restore_previous_locale();
			}
			$this->load_textdomain( determine_locale() );
		}
	}

	/**
	 * @param string $locale Locale.
	 */
	private function load_textdomain( string $locale ): void {
		unload_textdomain( 'privacy-bridge' );
		load_textdomain( 'privacy-bridge', PRIVACY_BRIDGE_DIR . '/languages/privacy-bridge-' . $locale . '.mo' );
	}
}

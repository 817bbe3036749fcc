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
	 * @param string               $email      The person's address (the request's, when there is one).
	 * @param WP_User_Request|null $request    WordPress's request, if the person used it.
	 * @param string               $url        Download link.
	 * @param int                  $expires_at Unix seconds.
	 * @param string               $locale     'sq' | 'en' from the service, or ''.
	 */
	public function export_ready( string $email, ?WP_User_Request $request, string $url, int $expires_at, string $locale ): bool {
		return $this->in_locale(
			$this->locale_for( $email, $request, $locale ),
			function () use ( $email, $url, $expires_at ) {
				/* translators: %s: site title. */
				$subject = sprintf( __( '[%s] Your personal data export is ready', 'privacy-bridge' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ) );
				/* translators: 1: download link, 2: expiry date. */
				$body = sprintf( __( "Your personal data export is ready.\n\nDownload it here: %1\$s\n\nThe link works until %2\$s.", 'privacy-bridge' ), $url, wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $expires_at ) );
				return wp_mail( $email, $subject, $body );
			}
		);
	}

	/**
	 * @param string               $email       The person's address.
	 * @param WP_User_Request|null $request     WordPress's request, if any.
	 * @param string               $receipt_url Link to the item-by-item receipt.
	 * @param string               $certificate The receipt's hash, as ledgered.
	 * @param string               $locale      'sq' | 'en' or ''.
	 */
	public function erasure_receipt( string $email, ?WP_User_Request $request, string $receipt_url, string $certificate, string $locale ): bool {
		return $this->in_locale(
			$this->locale_for( $email, $request, $locale ),
			function () use ( $email, $receipt_url, $certificate ) {
				/* translators: %s: site title. */
				$subject = sprintf( __( '[%s] Your erasure request has been completed', 'privacy-bridge' ), wp_specialchars_decode( get_option( 'blogname' ), ENT_QUOTES ) );
				/* translators: 1: link to the receipt, 2: certificate (a hash). */
				$body = sprintf( __( "We have completed your erasure request.\n\nYour receipt says item by item what was erased, what was kept, why and until when: %1\$s\n\nErasure certificate: %2\$s", 'privacy-bridge' ), $receipt_url, $certificate );
				return wp_mail( $email, $subject, $body );
			}
		);
	}

	/**
	 * The contract's language ('sq' | 'en') as a WordPress locale; else the account's, else the site's.
	 *
	 * @param string               $email   Address.
	 * @param WP_User_Request|null $request Request.
	 * @param string               $given   Locale from the service.
	 */
	private function locale_for( string $email, ?WP_User_Request $request, string $given ): string {
		$map = array( 'sq' => 'sq', 'en' => 'en_US' );
		if ( '' !== $given ) {
			return $map[ $given ] ?? $given;
		}
		$user = $request && $request->user_id ? get_user_by( 'id', $request->user_id ) : get_user_by( 'email', $email );
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

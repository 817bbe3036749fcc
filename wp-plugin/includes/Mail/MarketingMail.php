<?php
/**
 * Marketing mail that can be left in one click: the unsubscribe link, RFC 8058 headers, suppression.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Mail;

defined( 'ABSPATH' ) || exit;

use PrivacyBridge\Service\ServiceClient;

/**
 * A sender marks a wp_mail() call as marketing with the header `X-Privacy-Bridge-Marketing: 1` (or calls
 * privacy_bridge_send_marketing_mail()). Such a mail goes to one address; it is not sent when the
 * service says the address may not receive marketing (or cannot say), and otherwise carries
 * `List-Unsubscribe: <link>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. The link opens
 * the site's own page (UnsubscribePage), which asks the service to withdraw marketing.
 */
final class MarketingMail {

	const MARKER = 'x-privacy-bridge-marketing';

	/**
	 * @var ServiceClient
	 */
	private $client;

	/**
	 * @var bool Set by the wp_mail filter for the pre_wp_mail check of the same call.
	 */
	private $suppressed = false;

	/**
	 * @param ServiceClient $client Signed client.
	 */
	public function __construct( ServiceClient $client ) {
		$this->client = $client;
	}

	public function register(): void {
		add_filter( 'wp_mail', array( $this, 'filter_mail' ), 1000 );
		add_filter( 'pre_wp_mail', array( $this, 'stop_suppressed' ), 1 );
	}

	/**
	 * The address's one-click unsubscribe link on this site, or '' when the service cannot issue one.
	 *
	 * @param string $email Address.
	 */
	public function unsubscribe_url( string $email ): string {
		$email = strtolower( trim( $email ) );
		if ( ! is_email( $email ) ) {
			return '';
		}
		$answer = $this->client->post( '/v1/unsubscribe-links', array( 'email' => $email ) );
		if ( is_wp_error( $answer ) || 201 !== $answer['status'] || ! is_array( $answer['body'] ) || ! isset( $answer['body']['token'] ) ) {
			return '';
		}
		return UnsubscribePage::url( (string) $answer['body']['token'] );
	}

	/** Whether the service says this address may receive marketing now ('no' when it cannot say). */
	public function may_receive( string $email ): bool {
		$answer = $this->client->post( '/v1/suppression/check', array( 'email' => strtolower( trim( $email ) ) ) );
		return ! is_wp_error( $answer ) && 200 === $answer['status'] && is_array( $answer['body'] ) && 'yes' === ( $answer['body']['marketing'] ?? '' );
	}

	/**
	 * The headers of a wp_mail() call as a list of "Name: value" lines.
	 *
	 * @param mixed $headers String or array, as wp_mail() takes them.
	 * @return string[]
	 */
	public static function header_lines( $headers ): array {
		$lines = is_array( $headers ) ? $headers : explode( "\n", str_replace( "\r\n", "\n", (string) $headers ) );
		return array_values( array_filter( array_map( 'trim', array_map( 'strval', $lines ) ) ) );
	}

	/**
	 * Whether the lines mark the mail as marketing; and the lines without the marker.
	 *
	 * @param string[] $lines Header lines.
	 * @return array{0: bool, 1: string[]}
	 */
	public static function split_marker( array $lines ): array {
		$marked = false;
		$kept   = array();
		foreach ( $lines as $line ) {
			if ( 0 === stripos( $line, self::MARKER . ':' ) ) {
				$marked = $marked || '1' === trim( substr( $line, strlen( self::MARKER ) + 1 ) );
				continue;
			}
			$kept[] = $line;
		}
		return array( $marked, $kept );
	}

	/**
	 * Hooked to `wp_mail` (late, after other filters set the headers).
	 *
	 * @param mixed $atts wp_mail() arguments.
	 * @return mixed
	 */
	public function filter_mail( $atts ) {
		$this->suppressed = false;
		if ( ! is_array( $atts ) ) {
			return $atts;
		}
		list( $marked, $lines ) = self::split_marker( self::header_lines( $atts['headers'] ?? '' ) );
		if ( ! $marked ) {
			return $atts;
		}
		$to   = is_array( $atts['to'] ?? null ) ? $atts['to'] : array_filter( array_map( 'trim', explode( ',', (string) ( $atts['to'] ?? '' ) ) ) );
		$link = 1 === count( $to ) && $this->may_receive( (string) reset( $to ) ) ? $this->unsubscribe_url( (string) reset( $to ) ) : '';
		if ( '' === $link ) {
			// One address per marketing mail, allowed to receive it, with its own link; otherwise nothing goes out.
			$this->suppressed = true;
			$atts['to']       = array();
			$atts['headers']  = $lines;
			return $atts;
		}
		$lines[]         = 'List-Unsubscribe: <' . $link . '>';
		$lines[]         = 'List-Unsubscribe-Post: List-Unsubscribe=One-Click';
		$atts['headers'] = $lines;
		return $atts;
	}

	/**
	 * Hooked to `pre_wp_mail` first: a suppressed marketing mail is not sent.
	 *
	 * @param mixed $short Null to send.
	 * @return mixed
	 */
	public function stop_suppressed( $short ) {
		if ( $this->suppressed ) {
			$this->suppressed = false;
			return false;
		}
		return $short;
	}
}

<?php
/**
 * The banner's HTML: the same for every visitor (page-cache safe); the browser decides what shows.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

/**
 * A non-modal first layer (a labelled region, early in <body>), a real modal <dialog> with one switch
 * per category, and a persistent "Cookie settings" button. No nonce, no visitor state.
 */
final class Markup {

	/**
	 * @param array<string, string> $t    Texts in the page's language.
	 * @param string                $lang 'sq' or 'en'.
	 * @param string                $policy_url The privacy policy page, or ''.
	 */
	public static function render( array $t, string $lang, string $policy_url ): string {
		$intro   = esc_html( $t['intro'] );
		$intro  .= '' !== $policy_url ? ' <a href="' . esc_url( $policy_url ) . '">' . esc_html( $t['policy'] ) . '</a>' : '';
		$buttons = static function ( string $prefix ) use ( $t ): string {
			$out = '';
			foreach ( array( 'accept', 'reject', 'choose' ) as $action ) {
				if ( 'choose' === $action && 'd' === $prefix ) {
					$action = 'save';
				}
				$out .= '<button type="button" class="pb-btn" data-pb="' . $action . '">' . esc_html( $t[ $action ] ) . '</button>';
			}
			return $out;
		};
		$gpc = '<p class="pb-gpc" hidden>' . esc_html( $t['gpc'] ) . '</p>';

		$html  = '<section id="pb-banner" class="pb-banner" aria-labelledby="pb-banner-title" lang="' . esc_attr( $lang ) . '">';
		$html .= '<h2 id="pb-banner-title">' . esc_html( $t['title'] ) . '</h2><p>' . $intro . '</p>' . $gpc;
		$html .= '<div class="pb-actions">' . $buttons( 'b' ) . '</div></section>';

		$html .= '<dialog id="pb-dialog" class="pb-dialog" aria-labelledby="pb-dialog-title" lang="' . esc_attr( $lang ) . '">';
		$html .= '<h2 id="pb-dialog-title">' . esc_html( $t['dialog_title'] ) . '</h2>' . $gpc . '<ul class="pb-cats">';
		$html .= '<li><input type="checkbox" role="switch" id="pb-c-necessary" checked disabled aria-describedby="pb-h-necessary"> <label for="pb-c-necessary">' . esc_html( $t['necessary'] ) . ' (' . esc_html( $t['always_on'] ) . ')</label><p id="pb-h-necessary">' . esc_html( $t['necessary_help'] ) . '</p></li>';
		foreach ( BannerSettings::CATEGORIES as $category ) {
			$html .= '<li><input type="checkbox" role="switch" id="pb-c-' . $category . '" name="' . $category . '" aria-describedby="pb-h-' . $category . '"> <label for="pb-c-' . $category . '">' . esc_html( $t[ $category ] ) . '</label><p id="pb-h-' . $category . '">' . esc_html( $t[ $category . '_help' ] ) . '</p></li>';
		}
		$html .= '</ul><div class="pb-actions">' . $buttons( 'd' ) . '</div>';
		$html .= '<p class="pb-foot"><button type="button" class="pb-link" data-pb="receipt" hidden>' . esc_html( $t['receipt'] ) . '</button> <button type="button" class="pb-link" data-pb="close">' . esc_html( $t['close'] ) . '</button></p></dialog>';

		$html .= '<button type="button" id="pb-reopen" class="pb-reopen" data-pb="open" lang="' . esc_attr( $lang ) . '">' . esc_html( $t['settings_link'] ) . '</button>';
		return $html;
	}
}

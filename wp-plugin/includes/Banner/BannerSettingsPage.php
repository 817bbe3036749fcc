<?php
/**
 * wp-admin → Privacy Bridge → Cookie banner: texts (sq, en), cookies per category, revision.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Banner;

defined( 'ABSPATH' ) || exit;

/**
 * A plain Settings API form on the `privacy_bridge_banner` option. An empty text field means the
 * translated default. Raising the revision asks every visitor again (do it when a material policy
 * version is published).
 */
final class BannerSettingsPage {

	const SLUG = 'privacy-bridge-banner';

	public function register(): void {
		add_action( 'admin_init', array( $this, 'register_setting' ) );
		add_action( 'admin_menu', array( $this, 'menu' ), 20 );
	}

	public function register_setting(): void {
		register_setting(
			self::SLUG,
			BannerSettings::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( BannerSettings::class, 'sanitize' ),
			)
		);
	}

	public function menu(): void {
		add_submenu_page( 'privacy-bridge', __( 'Cookie banner', 'privacy-bridge' ), __( 'Cookie banner', 'privacy-bridge' ), 'manage_privacy_options', self::SLUG, array( $this, 'render' ) );
	}

	public function render(): void {
		if ( ! current_user_can( 'manage_privacy_options' ) ) {
			return;
		}
		$s    = BannerSettings::get();
		$name = BannerSettings::OPTION;
		echo '<div class="wrap"><h1>' . esc_html__( 'Cookie banner', 'privacy-bridge' ) . '</h1><form method="post" action="options.php">';
		settings_fields( self::SLUG );
		echo '<table class="form-table" role="presentation">';
		echo '<tr><th scope="row">' . esc_html__( 'Show the banner', 'privacy-bridge' ) . '</th><td><label><input type="checkbox" name="' . esc_attr( $name ) . '[enabled]" value="1"' . checked( ! empty( $s['enabled'] ), true, false ) . '> ' . esc_html__( 'On', 'privacy-bridge' ) . '</label></td></tr>';
		$this->field( __( 'Revision (raise it to ask everyone again)', 'privacy-bridge' ), $name . '[revision]', (string) $s['revision'], 'number' );
		$this->field( __( 'Policy version label', 'privacy-bridge' ), $name . '[policy_version]', (string) $s['policy_version'] );
		$this->field( __( 'Privacy policy address', 'privacy-bridge' ), $name . '[policy_url]', (string) $s['policy_url'], 'url' );
		$this->field( __( 'GPC honoured since (for /.well-known/gpc.json)', 'privacy-bridge' ), $name . '[gpc_since]', (string) $s['gpc_since'], 'date' );
		foreach ( BannerSettings::CATEGORIES as $category ) {
			/* translators: %s: a cookie category (preferences, statistics, marketing). */
			$this->field( sprintf( __( 'Cookies deleted when %s is withdrawn (a trailing * matches a prefix)', 'privacy-bridge' ), $category ), $name . '[cookies][' . $category . ']', implode( ' ', (array) $s['cookies'][ $category ] ) );
		}
		$defaults = BannerSettings::default_texts();
		foreach ( array( 'sq', 'en' ) as $lang ) {
			foreach ( BannerSettings::TEXT_KEYS as $key ) {
				$value = (string) ( $s['texts'][ $lang ][ $key ] ?? '' );
				echo '<tr><th scope="row"><label for="pb-t-' . esc_attr( $lang . '-' . $key ) . '">' . esc_html( $lang . ' · ' . $key ) . '</label></th><td><textarea class="large-text" rows="2" id="pb-t-' . esc_attr( $lang . '-' . $key ) . '" name="' . esc_attr( $name . '[texts][' . $lang . '][' . $key . ']' ) . '" placeholder="' . esc_attr( $defaults[ $key ] ) . '">' . esc_textarea( $value ) . '</textarea></td></tr>';
			}
		}
		echo '</table>';
		submit_button();
		echo '</form></div>';
	}

	private function field( string $label, string $name, string $value, string $type = 'text' ): void {
		$id = 'pb-' . md5( $name );
		echo '<tr><th scope="row"><label for="' . esc_attr( $id ) . '">' . esc_html( $label ) . '</label></th><td><input class="regular-text" type="' . esc_attr( $type ) . '" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( $value ) . '"></td></tr>';
	}
}

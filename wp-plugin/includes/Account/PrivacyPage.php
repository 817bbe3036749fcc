<?php
/**
 * The privacy tab's content: consents and their history, orders, requests, and the forms.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Account;

defined( 'ABSPATH' ) || exit;

use DateTimeZone;
use PrivacyBridge\Checkout\ConsentRecord;
use PrivacyBridge\Checkout\OrderConsent;
use PrivacyBridge\Checkout\PolicyCache;
use PrivacyBridge\Settings;
use WC_Order;
use WP_User;

/**
 * Reads: two signed calls to the service (consents with the subject's order ids; requests), one query
 * for WordPress's own privacy requests, and one order query for every order shown, guest orders
 * filed under the same person included.
 */
final class PrivacyPage {

	const ORDERS_SHOWN = 20;

	/**
	 * @var AccountReader
	 */
	private $reader;

	/**
	 * @param AccountReader $reader Signed reads.
	 */
	public function __construct( AccountReader $reader ) {
		$this->reader = $reader;
	}

	/** Hooked to `woocommerce_account_privacy-bridge_endpoint`. */
	public function render(): void {
		$user = wp_get_current_user();
		if ( ! $user instanceof WP_User || 0 === $user->ID ) {
			return;
		}
		$lang  = ConsentRecord::language( determine_locale() );
		$zone  = wp_timezone();
		$email = (string) $user->user_email;
		$data  = $this->reader->consents( $email, (int) $user->ID );
		echo '<div class="privacy-bridge-account">';
		$this->notice();
		if ( null === $data ) {
			echo '<p class="privacy-bridge-unavailable woocommerce-info">' . esc_html__( 'Your privacy settings cannot be shown right now. Please try again in a few minutes.', 'privacy-bridge' ) . '</p>';
		} else {
			$this->reconsent( $user, $data );
			$this->consents( $data, $lang, $zone );
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a view switch, nothing changes.
		if ( isset( $_GET['pb_preview'] ) && 'erase' === $_GET['pb_preview'] ) {
			$this->erasure_preview( $email, $lang, $zone );
		}
		$this->rights();
		$this->requests( $email, $lang, $zone );
		$this->orders( $user, null === $data ? array() : (array) ( $data['orderIds'] ?? array() ), $lang, $zone );
		$this->correction_form();
		echo '</div>';
	}

	/** The result of the last action. */
	private function notice(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a result code after a redirect.
		$done     = isset( $_GET['pb_done'] ) ? sanitize_key( wp_unslash( $_GET['pb_done'] ) ) : '';
		$messages = array(
			'marketing-grant' => __( 'Done: we will send you news and offers by e-mail.', 'privacy-bridge' ),
			'marketing-deny'  => __( 'Done: we will not send you news or offers any more.', 'privacy-bridge' ),
			'reconsent'       => __( 'Thank you: your acceptance of the new privacy policy is recorded.', 'privacy-bridge' ),
			'export-sent'     => __( 'We have sent you an e-mail: open its link to confirm the request and we will prepare your data.', 'privacy-bridge' ),
			'erase-sent'      => __( 'We have sent you an e-mail: open its link to confirm the erasure.', 'privacy-bridge' ),
			'request-exists'  => __( 'A request of this kind is already in progress.', 'privacy-bridge' ),
			'correct-sent'    => __( 'Your correction has been sent; we will let you know when it is made.', 'privacy-bridge' ),
			'correct-empty'   => __( 'Fill in at least one field to correct.', 'privacy-bridge' ),
			'correct-invalid' => __( 'Some values are not valid (for example the phone number). Please check them.', 'privacy-bridge' ),
			'failed'          => __( 'That did not work. Please try again in a few minutes.', 'privacy-bridge' ),
		);
		if ( isset( $messages[ $done ] ) ) {
			$class = in_array( $done, array( 'failed', 'correct-empty', 'correct-invalid' ), true ) ? 'woocommerce-error' : 'woocommerce-message';
			echo '<div class="privacy-bridge-notice ' . esc_attr( $class ) . '" role="status">' . esc_html( $messages[ $done ] ) . '</div>';
		}
	}

	/**
	 * A form with one button.
	 *
	 * @param string               $action The action.
	 * @param string               $label  Button label.
	 * @param array<string, mixed> $extra  Hidden fields.
	 */
	private function button( string $action, string $label, array $extra = array() ): void {
		echo '<form method="post" class="privacy-bridge-form privacy-bridge-' . esc_attr( $action ) . '">';
		wp_nonce_field( AccountActions::NONCE );
		echo '<input type="hidden" name="' . esc_attr( AccountActions::FIELD ) . '" value="' . esc_attr( $action ) . '">';
		foreach ( $extra as $name => $value ) {
			echo '<input type="hidden" name="' . esc_attr( (string) $name ) . '" value="' . esc_attr( (string) $value ) . '">';
		}
		echo '<button type="submit" class="button">' . esc_html( $label ) . '</button></form>';
	}

	/**
	 * @param array<string, mixed> $data The service's consent answer.
	 */
	private static function marketing_granted( array $data ): bool {
		foreach ( (array) ( $data['state']['purposes'] ?? array() ) as $p ) {
			if ( is_array( $p ) && 'marketing' === ( $p['purpose'] ?? '' ) ) {
				return 'granted' === ( $p['decision'] ?? '' );
			}
		}
		return false;
	}

	/**
	 * A material policy version the customer has not accepted yet.
	 *
	 * @param WP_User              $user Customer.
	 * @param array<string, mixed> $data Consent answer.
	 */
	private function reconsent( WP_User $user, array $data ): void {
		if ( ! self::needs_reconsent( (int) $user->ID ) ) {
			return;
		}
		$policy = PolicyCache::current();
		echo '<div class="privacy-bridge-reconsent-notice woocommerce-info">';
		/* translators: 1: policy URL, 2: version label */
		echo '<p>' . wp_kses( sprintf( __( 'Our privacy policy has changed. Please read <a href="%1$s">the new version (%2$s)</a> and accept it.', 'privacy-bridge' ), esc_url( PolicyCache::url() ), esc_html( $policy['version'] ) ), array( 'a' => array( 'href' => true ) ) ) . '</p>';
		$this->button( 'reconsent', __( 'I have read and accept it', 'privacy-bridge' ), array( 'marketing_granted' => self::marketing_granted( $data ) ? '1' : '' ) );
		echo '</div>';
	}

	/**
	 * Whether the customer should be asked to accept the policy in effect.
	 *
	 * @param int $user_id User.
	 */
	public static function needs_reconsent( int $user_id ): bool {
		$policy = PolicyCache::current();
		if ( ! $policy['material'] || PolicyCache::NONE === $policy['version'] ) {
			return false;
		}
		return $policy['version'] !== (string) get_user_meta( $user_id, OrderConsent::USER_VERSION, true );
	}

	/**
	 * @param array<string, mixed> $data Consent answer.
	 * @param string               $lang Language.
	 * @param DateTimeZone         $zone Zone.
	 */
	private function consents( array $data, string $lang, DateTimeZone $zone ): void {
		$names   = array(
			'marketing'   => __( 'News and offers by e-mail', 'privacy-bridge' ),
			'statistics'  => __( 'Statistics', 'privacy-bridge' ),
			'preferences' => __( 'Preferences', 'privacy-bridge' ),
		);
		$sources = array(
			'checkout'         => __( 'at checkout', 'privacy-bridge' ),
			'banner'           => __( 'in the cookie banner', 'privacy-bridge' ),
			'account-page'     => __( 'in My Account', 'privacy-bridge' ),
			'unsubscribe-link' => __( 'with an unsubscribe link', 'privacy-bridge' ),
			'admin'            => __( 'by the shop, at your request', 'privacy-bridge' ),
			'import'           => __( 'imported', 'privacy-bridge' ),
		);
		$base    = Settings::service_url();
		echo '<h3>' . esc_html__( 'Your consents', 'privacy-bridge' ) . '</h3>';
		echo '<table class="privacy-bridge-consents shop_table"><thead><tr><th>' . esc_html__( 'Purpose', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Your choice', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Since', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Policy version', 'privacy-bridge' ) . '</th><th></th></tr></thead><tbody>';
		foreach ( (array) ( $data['state']['purposes'] ?? array() ) as $p ) {
			if ( ! is_array( $p ) ) {
				continue;
			}
			$purpose = (string) ( $p['purpose'] ?? '' );
			$granted = 'granted' === ( $p['decision'] ?? '' );
			echo '<tr data-purpose="' . esc_attr( $purpose ) . '"><td>' . esc_html( $names[ $purpose ] ?? $purpose ) . '</td>';
			echo '<td class="privacy-bridge-decision">' . esc_html( $granted ? __( 'Yes', 'privacy-bridge' ) : __( 'No', 'privacy-bridge' ) ) . '</td>';
			echo '<td>' . esc_html( Format::iso( $p['at'] ?? null, $lang, $zone ) ) . '</td><td>' . esc_html( (string) ( $p['policyVersion'] ?? '' ) ) . '</td><td>';
			if ( 'marketing' === $purpose ) {
				$this->button( $granted ? 'marketing-deny' : 'marketing-grant', $granted ? __( 'Stop news and offers', 'privacy-bridge' ) : __( 'Send me news and offers', 'privacy-bridge' ) );
			}
			echo '</td></tr>';
		}
		echo '</tbody></table>';
		$history = (array) ( $data['history'] ?? array() );
		echo '<h4>' . esc_html__( 'History', 'privacy-bridge' ) . '</h4>';
		if ( array() === $history ) {
			echo '<p>' . esc_html__( 'No consent has been recorded yet.', 'privacy-bridge' ) . '</p>';
			return;
		}
		echo '<ul class="privacy-bridge-history">';
		foreach ( $history as $h ) {
			if ( ! is_array( $h ) ) {
				continue;
			}
			$parts = array();
			foreach ( (array) ( $h['effects'] ?? $h['decisions'] ?? array() ) as $d ) {
				$label   = $names[ (string) ( $d['purpose'] ?? '' ) ] ?? (string) ( $d['purpose'] ?? '' );
				$parts[] = $label . ': ' . ( 'granted' === ( $d['decision'] ?? '' ) ? __( 'yes', 'privacy-bridge' ) : __( 'no', 'privacy-bridge' ) );
			}
			$line = Format::iso( $h['at'] ?? null, $lang, $zone ) . ' — ' . ( $sources[ (string) ( $h['source'] ?? '' ) ] ?? '' ) . ' — ' . implode( ', ', $parts );
			/* translators: %s: policy version label */
			$line .= ' — ' . sprintf( __( 'policy %s', 'privacy-bridge' ), (string) ( $h['policyVersion'] ?? '' ) );
			if ( isset( $h['orderId'] ) ) {
				/* translators: %d: order number */
				$line .= ' — ' . sprintf( __( 'order #%d', 'privacy-bridge' ), (int) $h['orderId'] );
			}
			echo '<li data-event="' . esc_attr( (string) ( $h['eventId'] ?? '' ) ) . '">' . esc_html( $line );
			if ( isset( $h['receiptPath'] ) && is_string( $h['receiptPath'] ) ) {
				echo ' — <a class="privacy-bridge-receipt" href="' . esc_url( $base . $h['receiptPath'] ) . '" target="_blank" rel="noopener">' . esc_html__( 'receipt', 'privacy-bridge' ) . '</a>';
			}
			echo '</li>';
		}
		echo '</ul>';
	}

	/** Export and erasure buttons. */
	private function rights(): void {
		echo '<h3>' . esc_html__( 'Your data', 'privacy-bridge' ) . '</h3><div class="privacy-bridge-rights">';
		$this->button( 'export', __( 'Download my data', 'privacy-bridge' ) );
		echo '<p><a class="button privacy-bridge-erase-preview" href="' . esc_url( add_query_arg( 'pb_preview', 'erase', wc_get_account_endpoint_url( PrivacyEndpoint::KEY ) ) ) . '">' . esc_html__( 'Erase my data', 'privacy-bridge' ) . '</a></p></div>';
	}

	/**
	 * What an erasure would keep, from the service's planner, then the confirm button.
	 *
	 * @param string       $email Account e-mail.
	 * @param string       $lang  Language.
	 * @param DateTimeZone $zone  Zone.
	 */
	private function erasure_preview( string $email, string $lang, DateTimeZone $zone ): void {
		$preview = $this->reader->erasure_preview( $email, $lang );
		echo '<div class="privacy-bridge-preview woocommerce-info"><h3>' . esc_html__( 'Before you erase your data', 'privacy-bridge' ) . '</h3>';
		if ( null === $preview ) {
			echo '<p>' . esc_html__( 'We cannot show what would be kept right now; you can still ask for the erasure.', 'privacy-bridge' ) . '</p>';
		} else {
			$kept = (array) ( $preview['kept'] ?? array() );
			echo '<p>' . esc_html__( 'We will erase or anonymise everything we do not have to keep. The law or your open bookings require us to keep:', 'privacy-bridge' ) . '</p>';
			if ( array() === $kept ) {
				echo '<p>' . esc_html__( 'Nothing: all of it would be erased.', 'privacy-bridge' ) . '</p>';
			}
			echo '<ul class="privacy-bridge-kept">';
			foreach ( $kept as $k ) {
				if ( ! is_array( $k ) ) {
					continue;
				}
				$what = 'order' === ( $k['resource'] ?? '' )
					/* translators: %d: order number */
					? sprintf( __( 'Order #%d', 'privacy-bridge' ), (int) ( $k['resourceId'] ?? 0 ) )
					: __( 'Your account', 'privacy-bridge' );
				$until = Format::iso( $k['until'] ?? null, $lang, $zone );
				$why   = (string) ( $k['reason'] ?? '' );
				$line  = '' !== $until
					/* translators: 1: what is kept, 2: why, 3: date */
					? sprintf( __( '%1$s — %2$s — until %3$s', 'privacy-bridge' ), $what, $why, $until )
					/* translators: 1: what is kept, 2: why */
					: sprintf( __( '%1$s — %2$s — until it is closed', 'privacy-bridge' ), $what, $why );
				echo '<li data-hold="' . esc_attr( (string) ( $k['hold'] ?? '' ) ) . '">' . esc_html( $line ) . '</li>';
			}
			echo '</ul>';
		}
		$this->button( 'erase', __( 'Yes, erase my data', 'privacy-bridge' ) );
		echo '</div>';
	}

	/**
	 * WordPress's requests for this address, with the service's state, deadline and links.
	 *
	 * @param string       $email Account e-mail.
	 * @param string       $lang  Language.
	 * @param DateTimeZone $zone  Zone.
	 */
	private function requests( string $email, string $lang, DateTimeZone $zone ): void {
		$posts   = get_posts(
			array(
				'post_type'      => 'user_request',
				'post_status'    => 'any',
				'title'          => $email,
				'posts_per_page' => 50,
				'orderby'        => 'date',
				'order'          => 'DESC',
			)
		);
		$service = $this->reader->requests( $email );
		$by_wp   = array();
		$others  = array();
		foreach ( (array) ( $service['items'] ?? array() ) as $item ) {
			if ( is_array( $item ) && ! empty( $item['wpRequestId'] ) ) {
				$by_wp[ (int) $item['wpRequestId'] ] = $item;
			} elseif ( is_array( $item ) ) {
				$others[] = $item;
			}
		}
		$kinds  = array(
			'export_personal_data' => __( 'Download of my data', 'privacy-bridge' ),
			'remove_personal_data' => __( 'Erasure of my data', 'privacy-bridge' ),
			'access'               => __( 'Download of my data', 'privacy-bridge' ),
			'erasure'              => __( 'Erasure of my data', 'privacy-bridge' ),
			'rectification'        => __( 'Correction of my data', 'privacy-bridge' ),
		);
		$states = array(
			'request-pending'     => __( 'waiting for your confirmation by e-mail', 'privacy-bridge' ),
			'request-confirmed'   => __( 'confirmed', 'privacy-bridge' ),
			'request-failed'      => __( 'not confirmed in time', 'privacy-bridge' ),
			'request-completed'   => __( 'done', 'privacy-bridge' ),
			'received'            => __( 'received', 'privacy-bridge' ),
			'verified'            => __( 'confirmed', 'privacy-bridge' ),
			'in_progress'         => __( 'in progress', 'privacy-bridge' ),
			'completed'           => __( 'done', 'privacy-bridge' ),
			'partially_completed' => __( 'done, with what we must keep', 'privacy-bridge' ),
			'needs_attention'     => __( 'in progress (being checked by our staff)', 'privacy-bridge' ),
			'refused'             => __( 'refused', 'privacy-bridge' ),
		);
		$rows   = array();
		foreach ( $posts as $post ) {
			$item   = $by_wp[ (int) $post->ID ] ?? null;
			$rows[] = array(
				'kind'  => $kinds[ $post->post_name ] ?? $post->post_name,
				'at'    => (int) strtotime( $post->post_date_gmt . ' UTC' ),
				'item'  => $item,
				'state' => null !== $item ? ( $states[ (string) $item['state'] ] ?? (string) $item['state'] ) : ( $states[ $post->post_status ] ?? $post->post_status ),
			);
		}
		foreach ( $others as $item ) {
			$rows[] = array(
				'kind'  => $kinds[ (string) ( $item['kind'] ?? '' ) ] ?? '',
				'at'    => (int) strtotime( (string) ( $item['receivedAt'] ?? '' ) ),
				'item'  => $item,
				'state' => $states[ (string) ( $item['state'] ?? '' ) ] ?? '',
			);
		}
		echo '<h3>' . esc_html__( 'Your requests', 'privacy-bridge' ) . '</h3>';
		if ( array() === $rows ) {
			echo '<p>' . esc_html__( 'You have not made any request.', 'privacy-bridge' ) . '</p>';
			return;
		}
		echo '<table class="privacy-bridge-requests shop_table"><thead><tr><th>' . esc_html__( 'Request', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Made on', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'State', 'privacy-bridge' ) . '</th><th>' . esc_html__( 'Answer due by', 'privacy-bridge' ) . '</th><th></th></tr></thead><tbody>';
		foreach ( $rows as $r ) {
			$item = is_array( $r['item'] ) ? $r['item'] : array();
			echo '<tr><td>' . esc_html( $r['kind'] ) . '</td><td>' . esc_html( $r['at'] > 0 ? Format::date( $r['at'], $lang, $zone ) : '' ) . '</td><td class="privacy-bridge-state">' . esc_html( $r['state'] ) . '</td>';
			echo '<td>' . esc_html( Format::iso( $item['deadline'] ?? null, $lang, $zone ) ) . '</td><td>';
			if ( isset( $item['downloadUrl'] ) && is_string( $item['downloadUrl'] ) ) {
				echo '<a class="privacy-bridge-download" href="' . esc_url( $item['downloadUrl'] ) . '">' . esc_html__( 'Download', 'privacy-bridge' ) . '</a>';
			}
			if ( isset( $item['receiptUrl'] ) && is_string( $item['receiptUrl'] ) ) {
				echo '<a class="privacy-bridge-erasure-receipt" href="' . esc_url( $item['receiptUrl'] ) . '">' . esc_html__( 'Receipt', 'privacy-bridge' ) . '</a>';
			}
			echo '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * The customer's orders and the guest orders filed under the same person, in one order query.
	 *
	 * @param WP_User      $user      Customer.
	 * @param array<mixed> $guest_ids Order ids from the service.
	 * @param string       $lang      Language.
	 * @param DateTimeZone $zone      Zone.
	 */
	private function orders( WP_User $user, array $guest_ids, string $lang, DateTimeZone $zone ): void {
		$ids    = array_values( array_filter( array_map( 'intval', $guest_ids ) ) );
		$orders = wc_get_orders(
			array(
				'customer' => array( (int) $user->ID, (string) $user->user_email ),
				'limit'    => self::ORDERS_SHOWN,
				'orderby'  => 'date',
				'order'    => 'DESC',
				'type'     => 'shop_order',
			)
		);
		$shown  = array();
		foreach ( is_array( $orders ) ? $orders : array() as $o ) {
			if ( $o instanceof WC_Order ) {
				$shown[ $o->get_id() ] = $o;
			}
		}
		$missing = array_slice( array_values( array_diff( $ids, array_keys( $shown ) ) ), 0, self::ORDERS_SHOWN );
		if ( array() !== $missing ) {
			foreach ( wc_get_orders(
				array(
					'post__in' => $missing,
					'limit'    => self::ORDERS_SHOWN,
					'type'     => 'shop_order',
				)
			) as $o ) {
				if ( $o instanceof WC_Order ) {
					$shown[ $o->get_id() ] = $o;
				}
			}
		}
		krsort( $shown );
		echo '<h3>' . esc_html__( 'Your orders', 'privacy-bridge' ) . '</h3>';
		if ( array() === $shown ) {
			echo '<p>' . esc_html__( 'No orders.', 'privacy-bridge' ) . '</p>';
			return;
		}
		echo '<table class="privacy-bridge-orders shop_table"><tbody>';
		foreach ( array_slice( $shown, 0, self::ORDERS_SHOWN, true ) as $o ) {
			$created = $o->get_date_created();
			echo '<tr data-order="' . esc_attr( (string) $o->get_id() ) . '"><td>#' . esc_html( $o->get_order_number() ) . '</td><td>' . esc_html( $created ? Format::date( $created->getTimestamp(), $lang, $zone ) : '' ) . '</td><td>' . wp_kses_post( wc_price( (float) $o->get_total(), array( 'currency' => $o->get_currency() ) ) ) . '</td><td>' . esc_html( wc_get_order_status_name( $o->get_status() ) ) . '</td><td>' . esc_html( 0 === $o->get_customer_id() ? __( 'as a guest', 'privacy-bridge' ) : '' ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/** Which fields, new values. */
	private function correction_form(): void {
		$labels = array(
			'first_name' => __( 'First name', 'privacy-bridge' ),
			'last_name'  => __( 'Last name', 'privacy-bridge' ),
			'address_1'  => __( 'Address', 'privacy-bridge' ),
			'city'       => __( 'City', 'privacy-bridge' ),
			'postcode'   => __( 'Postcode', 'privacy-bridge' ),
			'phone'      => __( 'Phone', 'privacy-bridge' ),
		);
		echo '<h3>' . esc_html__( 'Correct your data', 'privacy-bridge' ) . '</h3><p>' . esc_html__( 'Fill in only what is wrong, with the right value. We correct it on your account and on your open orders.', 'privacy-bridge' ) . '</p>';
		echo '<form method="post" class="privacy-bridge-form privacy-bridge-correct">';
		wp_nonce_field( AccountActions::NONCE );
		echo '<input type="hidden" name="' . esc_attr( AccountActions::FIELD ) . '" value="correct">';
		foreach ( $labels as $field => $label ) {
			echo '<p class="form-row"><label for="pb_' . esc_attr( $field ) . '">' . esc_html( $label ) . '</label><input type="text" class="input-text" id="pb_' . esc_attr( $field ) . '" name="pb_' . esc_attr( $field ) . '" maxlength="100"></p>';
		}
		echo '<button type="submit" class="button">' . esc_html__( 'Send the correction', 'privacy-bridge' ) . '</button></form>';
	}
}

<?php
/**
 * Consent on the block checkout: two order fields through the Additional Checkout Fields API.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

use Automattic\WooCommerce\StoreApi\Exceptions\RouteException;
use WC_Order;
use WP_REST_Request;

/**
 * `privacy-bridge/accept-policy` (required) and `privacy-bridge/marketing` (optional, unticked), location
 * `order` so nothing is pre-filled from an earlier order. WooCommerce checks a required field itself,
 * but its validators fail open on an exception (CheckoutFields::validate_field), so the order is checked
 * again at `woocommerce_store_api_checkout_update_order_from_request`, where a missing value is a refusal.
 */
final class BlockCheckout {

	/**
	 * @var OrderConsent
	 */
	private $orders;

	/**
	 * @param OrderConsent $orders Stamps and sends.
	 */
	public function __construct( OrderConsent $orders ) {
		$this->orders = $orders;
	}

	public function register(): void {
		// After `init` 10, where the plugin's translations load, so the labels are in the site's language.
		add_action( 'init', array( $this, 'register_fields' ), 11 );
		add_action( 'woocommerce_store_api_checkout_update_order_from_request', array( $this, 'check_and_stamp' ), 10, 2 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( $this, 'send' ) );
		add_action( 'wp_enqueue_scripts', array( $this, 'enqueue_policy_link' ) );
		add_filter( 'rest_post_dispatch', array( $this, 'same_refusal' ), 10, 3 );
	}

	/**
	 * WooCommerce's schema refuses a missing or unticked acceptance before our check runs, in English
	 * and with its own codes; the customer gets the one refusal, in their language, whatever was sent.
	 *
	 * @param mixed $response The answer.
	 * @param mixed $server   REST server.
	 * @param mixed $request  The request.
	 * @return mixed
	 */
	public function same_refusal( $response, $server, $request ) {
		unset( $server );
		if ( ! $response instanceof \WP_REST_Response || 400 !== $response->get_status() || ! $request instanceof WP_REST_Request ) {
			return $response;
		}
		if ( 'POST' !== $request->get_method() || 1 !== preg_match( '#^/wc/store(?:/v1)?/checkout/?$#', $request->get_route() ) ) {
			return $response;
		}
		$body = $response->get_data();
		$code = is_array( $body ) && isset( $body['code'] ) ? (string) $body['code'] : '';
		if ( ! in_array( $code, array( 'rest_missing_callback_param', 'rest_invalid_param' ), true ) || false === strpos( (string) wp_json_encode( $body['data'] ?? null ), 'additional_fields' ) ) {
			return $response;
		}
		if ( ConsentChoice::from_additional_fields( self::sent_fields( $request ) )->accepted ) {
			return $response;
		}
		return new \WP_REST_Response(
			array(
				'code'    => ConsentChoice::NOT_ACCEPTED,
				'message' => Messages::not_accepted(),
				'data'    => array( 'status' => 400 ),
			),
			400
		);
	}

	/** The fields' registration options (also read by the tests). */
	public static function fields(): array {
		$policy = PolicyCache::current();
		return array(
			array(
				'id'                         => ConsentChoice::ACCEPT_FIELD,
				/* translators: %s: privacy policy version label */
				'label'                      => sprintf( __( 'I have read and accept the privacy policy (version %s)', 'privacy-bridge' ), $policy['version'] ),
				'location'                   => 'order',
				'type'                       => 'checkbox',
				'required'                   => true,
				'error_message'              => Messages::not_accepted(),
				'show_in_order_confirmation' => false,
			),
			array(
				'id'                         => ConsentChoice::MARKETING_FIELD,
				'label'                      => __( 'Send me news and offers by e-mail (you can stop them at any time)', 'privacy-bridge' ),
				'optionalLabel'              => __( 'Send me news and offers by e-mail (you can stop them at any time)', 'privacy-bridge' ),
				'location'                   => 'order',
				'type'                       => 'checkbox',
				'required'                   => false,
				'show_in_order_confirmation' => false,
			),
		);
	}

	/** Hooked to `init` 11. */
	public function register_fields(): void {
		if ( ! function_exists( 'woocommerce_register_additional_checkout_field' ) ) {
			return;
		}
		foreach ( self::fields() as $field ) {
			try {
				woocommerce_register_additional_checkout_field( $field );
			} catch ( \Exception $e ) {
				// Registration refused: the server check below still refuses every order.
				unset( $e );
			}
		}
	}

	/**
	 * Refuses the order unless the acceptance was sent ticked; stamps it otherwise.
	 *
	 * @param WC_Order        $order   The draft order.
	 * @param WP_REST_Request $request The checkout request.
	 * @throws RouteException When the policy was not accepted (400, the customer's language).
	 */
	public function check_and_stamp( $order, $request ): void {
		if ( ! $order instanceof WC_Order ) {
			return;
		}
		$choice = ConsentChoice::from_additional_fields( self::sent_fields( $request ) );
		if ( ! $choice->accepted ) {
			throw new RouteException( ConsentChoice::NOT_ACCEPTED, esc_html( Messages::not_accepted() ), 400 );
		}
		$this->orders->stamp( $order, $choice, 'block' );
	}

	/**
	 * Hooked to `woocommerce_store_api_checkout_order_processed`: the order passed every check.
	 *
	 * @param WC_Order $order The order.
	 */
	public function send( $order ): void {
		if ( $order instanceof WC_Order && 'block' === $order->get_meta( OrderConsent::META_CHECKOUT ) ) {
			$this->orders->send( $order );
		}
	}

	/**
	 * The additional fields as sent, before WordPress's boolean coercion (which reads "no" as true).
	 *
	 * @param mixed $request The checkout request.
	 * @return mixed
	 */
	private static function sent_fields( $request ) {
		if ( ! $request instanceof WP_REST_Request ) {
			return null;
		}
		// Not get_json_params(): WordPress sanitises those in place, after the schema's types.
		$json = json_decode( (string) $request->get_body(), true );
		if ( is_array( $json ) ) {
			return $json['additional_fields'] ?? null;
		}
		$body = $request->get_body_params();
		return $body['additional_fields'] ?? null;
	}

	/** A link to the policy beside the acceptance box (a block checkbox's label is plain text). */
	public function enqueue_policy_link(): void {
		if ( ! function_exists( 'is_checkout' ) || ! is_checkout() ) {
			return;
		}
		$policy = PolicyCache::current();
		wp_enqueue_script( 'privacy-bridge-policy-link', plugins_url( 'assets/checkout-policy-link.js', PRIVACY_BRIDGE_FILE ), array(), PRIVACY_BRIDGE_VERSION, true );
		wp_localize_script(
			'privacy-bridge-policy-link',
			'privacyBridgePolicy',
			array(
				'url'  => PolicyCache::url(),
				/* translators: %s: privacy policy version label */
				'text' => sprintf( __( 'Read the privacy policy (version %s)', 'privacy-bridge' ), $policy['version'] ),
			)
		);
	}
}

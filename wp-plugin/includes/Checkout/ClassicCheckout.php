<?php
/**
 * Consent on the classic (shortcode) checkout: the same two boxes, validated and saved by its hooks.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Checkout;

defined( 'ABSPATH' ) || exit;

use WC_Order;
use WP_Error;

/**
 * The boxes sit just above "Place order", inside the review fragment WooCommerce re-renders by AJAX
 * (update_order_review) whenever totals change; each re-render reads the form WooCommerce posts with it
 * (`post_data`), so a ticked box stays ticked. WooCommerce checks its nonce before any of these hooks run.
 */
final class ClassicCheckout {

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
		add_action( 'woocommerce_review_order_before_submit', array( $this, 'render' ) );
		add_action( 'woocommerce_after_checkout_validation', array( $this, 'validate' ), 10, 2 );
		add_action( 'woocommerce_checkout_create_order', array( $this, 'stamp' ), 10, 2 );
		add_action( 'woocommerce_checkout_order_processed', array( $this, 'send' ), 10, 3 );
	}

	/**
	 * What the form said so far: the checkout POST itself, or the form serialised into `post_data`
	 * by an update_order_review request.
	 *
	 * @return array<string, mixed>
	 */
	public static function posted(): array {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- WooCommerce verified its nonce (checkout / update-order-review).
		if ( isset( $_POST['post_data'] ) && is_string( $_POST['post_data'] ) ) {
			$form = array();
			// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- a query string; only our two values are read, as booleans.
			wp_parse_str( wp_unslash( $_POST['post_data'] ), $form );
			$post = array();
			foreach ( array( ConsentChoice::ACCEPT_POST, ConsentChoice::MARKETING_POST ) as $name ) {
				if ( isset( $form[ $name ] ) && is_string( $form[ $name ] ) ) {
					$post[ $name ] = sanitize_text_field( $form[ $name ] );
				}
			}
			return $post;
		}
		$post = array();
		foreach ( array( ConsentChoice::ACCEPT_POST, ConsentChoice::MARKETING_POST ) as $name ) {
			if ( isset( $_POST[ $name ] ) && is_string( $_POST[ $name ] ) ) {
				$post[ $name ] = sanitize_text_field( wp_unslash( $_POST[ $name ] ) );
			}
		}
		// phpcs:enable
		return $post;
	}

	/** Hooked to `woocommerce_review_order_before_submit`. */
	public function render(): void {
		$choice = ConsentChoice::from_post( self::posted() );
		$policy = PolicyCache::current();
		?>
		<div class="privacy-bridge-consent">
			<p class="form-row validate-required">
				<label class="woocommerce-form__label woocommerce-form__label-for-checkbox checkbox">
					<input type="checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox input-checkbox" name="<?php echo esc_attr( ConsentChoice::ACCEPT_POST ); ?>" id="<?php echo esc_attr( ConsentChoice::ACCEPT_POST ); ?>" value="1" <?php checked( $choice->accepted ); ?> />
					<span>
					<?php
					echo wp_kses(
						sprintf(
							/* translators: 1: privacy policy URL, 2: policy version label */
							__( 'I have read and accept the <a href="%1$s" target="_blank" rel="noopener">privacy policy</a> (version %2$s)', 'privacy-bridge' ),
							esc_url( PolicyCache::url() ),
							esc_html( $policy['version'] )
						),
						array(
							'a' => array(
								'href'   => true,
								'target' => true,
								'rel'    => true,
							),
						)
					);
					?>
					</span>&nbsp;<abbr class="required" title="<?php echo esc_attr__( 'required', 'privacy-bridge' ); ?>">*</abbr>
				</label>
			</p>
			<p class="form-row">
				<label class="woocommerce-form__label woocommerce-form__label-for-checkbox checkbox">
					<input type="checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox input-checkbox" name="<?php echo esc_attr( ConsentChoice::MARKETING_POST ); ?>" id="<?php echo esc_attr( ConsentChoice::MARKETING_POST ); ?>" value="1" <?php checked( $choice->marketing ); ?> />
					<span><?php esc_html_e( 'Send me news and offers by e-mail (you can stop them at any time)', 'privacy-bridge' ); ?></span>
				</label>
			</p>
		</div>
		<?php
	}

	/**
	 * Hooked to `woocommerce_after_checkout_validation`.
	 *
	 * @param array<string, mixed> $data   Posted checkout data.
	 * @param WP_Error             $errors Errors so far.
	 */
	public function validate( $data, $errors ): void {
		unset( $data );
		if ( $errors instanceof WP_Error && ! ConsentChoice::from_post( self::posted() )->accepted ) {
			$errors->add( ConsentChoice::NOT_ACCEPTED, Messages::not_accepted() );
		}
	}

	/**
	 * Hooked to `woocommerce_checkout_create_order` (before the order is saved).
	 *
	 * @param WC_Order             $order The order.
	 * @param array<string, mixed> $data  Posted checkout data.
	 */
	public function stamp( $order, $data ): void {
		unset( $data );
		$choice = ConsentChoice::from_post( self::posted() );
		if ( $order instanceof WC_Order && $choice->accepted ) {
			$this->orders->stamp( $order, $choice, 'classic' );
		}
	}

	/**
	 * Hooked to `woocommerce_checkout_order_processed`.
	 *
	 * @param int                  $order_id Order id.
	 * @param array<string, mixed> $posted   Posted data.
	 * @param WC_Order|null        $order    The order.
	 */
	public function send( $order_id, $posted = array(), $order = null ): void {
		unset( $posted );
		$order = $order instanceof WC_Order ? $order : wc_get_order( (int) $order_id );
		if ( $order instanceof WC_Order && 'classic' === $order->get_meta( OrderConsent::META_CHECKOUT ) ) {
			$this->orders->send( $order );
		}
	}
}

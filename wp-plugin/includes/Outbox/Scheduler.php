<?php
/**
 * Runs the outbox drain in the background: Action Scheduler when WooCommerce brings it, WP-Cron otherwise.
 *
 * @package PrivacyBridge
 */

declare( strict_types=1 );

namespace PrivacyBridge\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * One pending drain at a time; a recurring five-minute event is the safety net when a run is lost.
 */
final class Scheduler {

	const HOOK     = 'privacy_bridge_outbox_drain';
	const GROUP    = 'privacy-bridge';
	const INTERVAL = 'privacy_bridge_five_minutes';

	/** Whether Action Scheduler is there (WooCommerce loads it). */
	public static function uses_action_scheduler(): bool {
		return function_exists( 'as_schedule_single_action' ) && function_exists( 'as_next_scheduled_action' );
	}

	/**
	 * @param int $at Unix seconds.
	 */
	public function schedule( int $at ): void {
		self::keep_safety_net();
		if ( self::uses_action_scheduler() && did_action( 'action_scheduler_init' ) ) {
			$next = as_next_scheduled_action( self::HOOK, array(), self::GROUP );
			if ( false === $next || ( is_int( $next ) && $next > $at ) ) {
				as_unschedule_action( self::HOOK, array(), self::GROUP );
				as_schedule_single_action( $at, self::HOOK, array(), self::GROUP );
			}
			return;
		}
		$next = wp_next_scheduled( self::HOOK );
		if ( false !== $next && $next <= $at ) {
			return;
		}
		if ( false !== $next ) {
			wp_unschedule_event( $next, self::HOOK );
		}
		wp_schedule_single_event( $at, self::HOOK );
	}

	/**
	 * @param array<string, array{interval: int, display: string}> $schedules Cron schedules.
	 * @return array<string, array{interval: int, display: string}>
	 */
	public static function add_interval( $schedules ): array {
		$schedules                   = is_array( $schedules ) ? $schedules : array();
		$schedules[ self::INTERVAL ] = array(
			'interval' => 300,
			'display'  => __( 'Every five minutes (Privacy Bridge outbox)', 'privacy-bridge' ),
		);
		return $schedules;
	}

	/** On activation: the recurring safety net. */
	public static function install(): void {
		add_filter( 'cron_schedules', array( self::class, 'add_interval' ) );
		self::keep_safety_net();
	}

	/**
	 * Schedules the recurring event when it is missing: on activation, and again whenever something is queued,
	 * because a WP-Cron run that started before it was scheduled writes back the cron array it read and drops it.
	 */
	private static function keep_safety_net(): void {
		if ( ! wp_next_scheduled( self::HOOK . '_recurring' ) ) {
			wp_schedule_event( time() + 300, self::INTERVAL, self::HOOK . '_recurring' );
		}
	}

	/** On deactivation. */
	public static function uninstall(): void {
		wp_clear_scheduled_hook( self::HOOK );
		wp_clear_scheduled_hook( self::HOOK . '_recurring' );
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
	}
}

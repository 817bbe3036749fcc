/** Loopback hosts (as URL.hostname spells them), where plain http never leaves the machine. */
export const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** How a configured URL is reached: over TLS, plain http that stays on this machine, or plain http allowed by hand. */
export type Transport = 'https' | 'http-loopback' | 'http-allowed';

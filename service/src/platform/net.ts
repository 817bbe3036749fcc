/** Loopback hosts (as URL.hostname spells them), where plain http never leaves the machine. */
export const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

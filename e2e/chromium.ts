/**
 * How the tests and the bench launch Debian's Chromium: its path and the flags this closed-network,
 * root-run machine needs (no sandbox as root; no background networking, which the network refuses).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

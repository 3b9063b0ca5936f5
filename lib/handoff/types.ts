// What the desktop's panel and the status route share about a step's hand-off (no `server-only`: the
// browser reads it).

export interface HandoffStatus {
  /** 'moved_on': the step is done (on the phone or on the desktop), or the onboarding is no longer at it. */
  step: 'current' | 'moved_on';
  /** 'waiting': a link works and no phone took it yet; 'connected': a phone took it and may still send. */
  phone: 'none' | 'waiting' | 'connected';
}

/** A link just made, as the desktop shows it (once: it is never stored in the clear). */
export interface HandoffLink {
  link: string;
  /** The link as a QR code: an SVG data: URL. */
  qrCode: string;
  /** ISO 8601. */
  expiresAt: string;
}

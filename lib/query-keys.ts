// Every TanStack Query key of the portal, in one place.
export const queryKeys = {
  // One query per link made: what the server said about an older link never shows against a new one.
  handoff: (onboardingId: string, stepIndex: number, linkExpiresAt?: string) => ['handoff', onboardingId, stepIndex, linkExpiresAt ?? null] as const,
};

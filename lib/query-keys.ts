// Every TanStack Query key of the portal, in one place.
export const queryKeys = {
  notifications: ['notifications'] as const,
};

// The new-password length limits, apart from the schemas (lib/account/schemas.ts, with zod): the forms show the
// minimum in their hint and on the input, and importing it from the schemas would put zod in their first load.
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

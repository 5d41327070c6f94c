/** Who a user is: an admin may do everything a person may; a user acts on what they own. */
export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

/** A username: a letter, then up to 63 letters, digits, `_`, `.` or `-`. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/i;
export const USERNAME_RULE = 'must start with a letter and hold up to 64 letters, digits, _ . -';

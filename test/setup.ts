import { randomBytes } from 'node:crypto';

// Unit and integration tests never see the developer's secrets or .data directory.
process.env.LOG_LEVEL ??= 'silent';
process.env.AUTH_SECRET ??= randomBytes(32).toString('base64url');
process.env.ENCRYPTION_KEY ??= randomBytes(32).toString('base64');

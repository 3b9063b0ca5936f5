import 'server-only';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';

// Drizzle wraps every failed query in an error whose message is the SQL followed by its parameters
// (emails, phone numbers, password hashes, sealed secrets), and whose cause may quote a value too
// (PostgreSQL's `detail`, "invalid input syntax for type uuid: ..."). Next.js prints uncaught errors
// itself, outside our redacting logger, so a failed query must never carry any of that: it is turned
// into this error, which keeps only identifiers.

export class DatabaseError extends Error {
  readonly [ERROR_BRAND] = 'DatabaseError';
  /** SQLSTATE (e.g. 23505) or the connection error code (e.g. ECONNREFUSED), when there is one. */
  readonly code?: string;
  /** The constraint that refused a write, when PostgreSQL names one. */
  readonly constraint?: string;

  constructor(options: { code?: string; constraint?: string } = {}) {
    super(`Database query failed${options.code ? ` (${options.code})` : ''}`);
    this.name = 'DatabaseError';
    if (options.code !== undefined) this.code = options.code;
    if (options.constraint !== undefined) this.constraint = options.constraint;
  }
}

export function isDatabaseError(error: unknown, code?: string): error is DatabaseError {
  return hasErrorBrand(error, 'DatabaseError') && (code === undefined || (error as DatabaseError).code === code);
}

const IDENTIFIER = /^[A-Za-z0-9_.-]{1,64}$/;

function identifierField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' && IDENTIFIER.test(field) ? field : undefined;
}

/** The error a failed query becomes: codes and constraint names only, never the SQL parameters or values. */
export function sanitizeDatabaseError(error: unknown): DatabaseError {
  if (isDatabaseError(error)) return error;
  // Drizzle's wrapper keeps the driver's error as its cause; either may carry the codes.
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? (error as { cause: unknown }).cause : undefined;
  const source = identifierField(cause, 'code') !== undefined ? cause : error;
  const code = identifierField(source, 'code');
  const constraint = identifierField(source, 'constraint');
  return new DatabaseError({ ...(code ? { code } : {}), ...(constraint ? { constraint } : {}) });
}

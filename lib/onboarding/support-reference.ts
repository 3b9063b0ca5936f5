import { shortReference } from '@/lib/short-reference';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A provider's error id as users see it: a UUID as its short reference ("3F2A-9C1B", which support finds by
 * prefix in the logs, where the whole id is), any other identifier as it is, since shortening it could make
 * two of them alike.
 */
export function supportReference(id: string): string {
  return UUID.test(id) ? shortReference(id) : id;
}

import 'server-only';
import Redis from 'ioredis';
import { getEnv } from '@/lib/env';

const holder = globalThis as unknown as { __guidepostRedis?: Redis };

/** One Redis connection per process, only when REDIS_URL is configured. */
export function redisClient(): Redis {
  const url = getEnv().redisUrl;
  if (!url) throw new Error('REDIS_URL is not configured');
  holder.__guidepostRedis ??= new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  return holder.__guidepostRedis;
}

/** Closes the connection if one was opened (at shutdown). */
export async function closeRedis(): Promise<void> {
  const redis = holder.__guidepostRedis;
  holder.__guidepostRedis = undefined;
  if (redis) await redis.quit().catch(() => redis.disconnect());
}

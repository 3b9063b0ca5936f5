/**
 * A complete deployment's configuration for parseEnv(): https providers, real-looking credentials and
 * random-looking secrets, fixed so tests are repeatable. Tests override what they are about.
 */
export const DEPLOYED_ENV = {
  NODE_ENV: 'production',
  APP_URL: 'https://portal.example.com',
  AUTH_SECRET: 'Qm9vdHN0cmFwLXRlc3Qtc2VjcmV0LTg3NjU0MzIxMA-x7kP',
  ENCRYPTION_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 73 + 41) % 256)).toString('base64'),
  DATABASE_URL: 'postgres://app@db.internal:5432/guidepost',
  BRIDGE_API_URL: 'https://api.bridgeapi.io',
  BRIDGE_CLIENT_ID: 'real-client',
  BRIDGE_CLIENT_SECRET: 'real-bridge-secret',
  BRIDGE_WEBHOOK_SECRETS: 'whsec-current-0123456789,whsec-previous-0123456789',
  FINQWARE_API_URL: 'https://api.finqware.com',
  FINQWARE_CLIENT_ID: 'fq-client',
  FINQWARE_CLIENT_APP_KEY: 'fq-app-key',
  FINQWARE_CLIENT_SECRET: 'fq-real-secret',
  SMTP_URL: 'smtps://portal:smtp-real-password@smtp.example.net:465',
  MAIL_FROM: 'Guidepost <no-reply@portal.example.com>',
} as const;

import { describe, expect, it } from 'vitest';
import { deploymentReasons, isLoopbackAddress, listenHost } from './deployment';

describe('deployment or demo', () => {
  it('knows loopback addresses, IPv4-mapped ones included', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['0.0.0.0', '10.0.0.1', '::ffff:10.0.0.1', '::', '128.0.0.1', 'portal.example.com', '', undefined])
      expect(isLoopbackAddress(address)).toBe(false);
  });

  it('the demo listens on loopback only, even when HOST asks for more', () => {
    expect(listenHost({ NODE_ENV: 'production' })).toBe('127.0.0.1');
    expect(listenHost({ NODE_ENV: 'production', HOST: '::1' })).toBe('::1');
    // Asking for every interface makes it a deployment, which lib/env.ts then holds to deployment rules.
    expect(deploymentReasons({ NODE_ENV: 'production', HOST: '0.0.0.0' })).toEqual(['HOST is not a loopback address']);
    expect(listenHost({ NODE_ENV: 'production', HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('a deployment listens on every interface unless HOST says otherwise', () => {
    expect(listenHost({ NODE_ENV: 'production', APP_URL: 'https://portal.example.com' })).toBe('0.0.0.0');
    expect(listenHost({ NODE_ENV: 'production', APP_URL: 'https://portal.example.com', HOST: '10.0.0.5' })).toBe('10.0.0.5');
  });

  it('development and tests are never deployments', () => {
    expect(deploymentReasons({ NODE_ENV: 'development', APP_URL: 'https://portal.example.com' })).toEqual([]);
    expect(deploymentReasons({ APP_URL: 'https://portal.example.com' })).toEqual([]);
  });
});

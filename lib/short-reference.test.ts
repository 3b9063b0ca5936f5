import { expect, it } from 'vitest';
import { shortReference } from './short-reference';

it('shows a UUID as its first eight hex digits in two groups', () => {
  expect(shortReference('3f2a9c1b-5d4e-4f00-8a11-0123456789ab')).toBe('3F2A-9C1B');
  expect(shortReference('abc')).toBe('ABC');
});

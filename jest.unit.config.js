/**
 * @type {import('jest').Config} `npm run test:unit`: the unit tests beside the code (the
 * __tests__ folders under src/), without PostgreSQL, dist/ or Strapi: seconds, not minutes.
 * `npm test` runs them too, with everything else (jest.config.js).
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  testMatch: ['<rootDir>/src/**/__tests__/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/', '<rootDir>/build/'],
};

import { redacted } from '../request-log';

describe('the request line of the text log', () => {
  it.each([
    ['/admin/auth/reset-password?code=0123abcd', '/admin/auth/reset-password?code=[redacted]'],
    [
      '/admin/auth/register?registrationToken=f00&x=1',
      '/admin/auth/register?registrationToken=[redacted]&x=1',
    ],
    ['/api/auth/email-confirmation?confirmation=abc', '/api/auth/email-confirmation?confirmation=[redacted]'],
    ['/api/projects?filters[slug][$eq]=code&locale=de', '/api/projects?filters[slug][$eq]=code&locale=de'],
    ['/api/projects?encode=1', '/api/projects?encode=1'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redacted(url)).toBe(logged);
  });
});

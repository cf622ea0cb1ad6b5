import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../server/config.js';
import { ConfigurationError, resolveClientSettings, type FileReader } from './client-config.js';

const CREDENTIALS = '[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n';
const CONFIG = '[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n[profile configured]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = config-secret\n[profile assume]\nrole_arn = arn:aws:iam::000000000000:role/r\nsource_profile = default\n';

function files(map: Record<string, string>): FileReader {
  return (path) => map[path];
}

const HOME_FILES = files({ '/home/u/.aws/credentials': CREDENTIALS, '/home/u/.aws/config': CONFIG });
const resolve = (flags: Parameters<typeof resolveClientSettings>[0], env: Record<string, string>, read: FileReader = HOME_FILES) =>
  resolveClientSettings(flags, env, { home: '/home/u', read });

describe('resolveClientSettings', () => {
  it('endpoint: --endpoint-url, else AWS_ENDPOINT_URL, else http://127.0.0.1:4566', () => {
    assert.equal(resolve({}, {}).endpoint.href, 'http://127.0.0.1:4566/');
    assert.equal(resolve({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9999' }).endpoint.href, 'http://127.0.0.1:9999/');
    assert.equal(resolve({ endpointUrl: 'https://iamd.test:8443' }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9999' }).endpoint.href, 'https://iamd.test:8443/');
    assert.throws(() => resolve({ endpointUrl: 'ftp://x' }, {}), UsageError);
    assert.throws(() => resolve({ endpointUrl: 'not a url' }, {}), UsageError);
  });

  it('credentials: environment keys before the default profile', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'env-token' };
    assert.deepEqual(resolve({}, env).credentials, { accessKeyId: 'AKIAENV', secretAccessKey: 'env-secret', sessionToken: 'env-token' });
    assert.equal(resolve({}, env).credentialSource, 'environment');
    assert.deepEqual(resolve({}, {}).credentials, { accessKeyId: 'AKIADEFAULT', secretAccessKey: 'default-secret' });
  });

  it('an explicit --profile wins over environment keys (as in the AWS CLI); AWS_PROFILE does not', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_PROFILE: 'dev' };
    assert.equal(resolve({ profile: 'dev' }, env).credentials.accessKeyId, 'AKIADEV');
    assert.equal(resolve({ profile: 'dev' }, env).credentials.sessionToken, 'dev-token');
    assert.equal(resolve({}, env).credentials.accessKeyId, 'AKIAENV');
    assert.equal(resolve({}, { AWS_PROFILE: 'dev' }).credentials.accessKeyId, 'AKIADEV');
    assert.equal(resolve({}, { AWS_DEFAULT_PROFILE: 'configured', AWS_PROFILE: 'dev' }).credentials.accessKeyId, 'AKIACONFIG');
  });

  it('keys in the config file; AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (with ~) are honoured', () => {
    assert.equal(resolve({ profile: 'configured' }, {}).credentials.accessKeyId, 'AKIACONFIG');
    const moved = files({ '/elsewhere/creds': '[default]\naws_access_key_id = AKIAMOVED\naws_secret_access_key = s\n', '/home/u/cfg': '[default]\nregion = ca-central-1\n' });
    const settings = resolve({}, { AWS_SHARED_CREDENTIALS_FILE: '/elsewhere/creds', AWS_CONFIG_FILE: '~/cfg' }, moved);
    assert.equal(settings.credentials.accessKeyId, 'AKIAMOVED');
    assert.equal(settings.region, 'ca-central-1');
  });

  it('region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile, us-east-1', () => {
    assert.equal(resolve({ region: 'us-west-2' }, { AWS_REGION: 'eu-north-1' }).region, 'us-west-2');
    assert.equal(resolve({}, { AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'eu-south-1' }).region, 'eu-north-1');
    assert.equal(resolve({}, { AWS_DEFAULT_REGION: 'eu-south-1' }).region, 'eu-south-1');
    assert.equal(resolve({ profile: 'dev' }, {}).region, 'ap-south-1');
    assert.equal(resolve({}, {}).region, 'eu-west-1');
    assert.equal(resolve({}, { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B' }, files({})).region, 'us-east-1');
  });

  it('configuration errors: no credentials, an unknown profile, an unsupported credential source', () => {
    assert.throws(() => resolve({}, {}, files({})), (error: Error) => error instanceof ConfigurationError && /Unable to locate credentials/.test(error.message));
    assert.throws(() => resolve({ profile: 'nope' }, {}), (error: Error) => error instanceof ConfigurationError && /The config profile \(nope\) could not be found/.test(error.message));
    assert.throws(() => resolve({ profile: 'assume' }, {}), (error: Error) => error instanceof ConfigurationError && /role_arn/.test(error.message));
    // only one of the two keys in the environment is not a credential
    assert.throws(() => resolve({}, { AWS_ACCESS_KEY_ID: 'A' }, files({})), ConfigurationError);
  });
});

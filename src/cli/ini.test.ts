import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIni } from './ini.js';

describe('parseIni', () => {
  it('reads sections, keys (lower-cased), both separators, comments and blank lines', () => {
    const ini = parseIni([
      '# a comment', '[default]', 'AWS_Access_Key_Id = AKIA1', 'aws_secret_access_key=secret=with=equals', '; another',
      '', '[profile dev]', 'region: eu-west-3', '[ spaced ]', 'key = value with spaces  ',
    ].join('\r\n'));
    assert.deepEqual(ini, {
      default: { aws_access_key_id: 'AKIA1', aws_secret_access_key: 'secret=with=equals' },
      'profile dev': { region: 'eu-west-3' },
      spaced: { key: 'value with spaces' },
    });
  });

  it('keeps indented lines with the key above (nested s3 blocks), never as keys of their own', () => {
    const ini = parseIni('[default]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\nregion = us-west-2\n');
    assert.deepEqual(ini.default, { s3: 'max_concurrent_requests = 20\naddressing_style = path', region: 'us-west-2' });
  });

  it('ignores keys before the first section and lines without a separator; a later key wins', () => {
    assert.deepEqual(parseIni('orphan = 1\n[a]\nnonsense\nk = 1\nk = 2\n[a]\nj = 3\n'), { a: { k: '2', j: '3' } });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instanceAddresses, instanceProfileName, instanceRegion, readDescribeInstances } from './instance-lookup.js';
import { formatTable } from './instances.js';
import { parseXml } from '../protocol/xml-reader.js';

const SERVER = { accountId: '000000000000', region: 'us-east-1', apiPort: 4566, imdsPort: 1338 };

describe('reading DescribeInstances', () => {
  it('flattens reservations and reads state, addresses, profile, tags and the next token', () => {
    const page = readDescribeInstances(parseXml(`<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet>
      <item><reservationId>r-1</reservationId><instancesSet>
        <item><instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState><privateIpAddress>10.16.32.5</privateIpAddress>
          <vpcId>vpc-1</vpcId><subnetId>subnet-1</subnetId><placement><availabilityZone>eu-west-3b</availabilityZone></placement>
          <iamInstanceProfile><arn>arn:aws:iam::000000000000:instance-profile/team/web</arn><id>AIPA1</id></iamInstanceProfile>
          <tagSet><item><key>Name</key><value>web</value></item></tagSet></item>
        <item><instanceId>i-2</instanceId><instanceState><code>48</code><name>terminated</name></instanceState><privateIpAddress/></item>
      </instancesSet></item>
      <item><instancesSet><item><instanceId>i-3</instanceId><instanceState><name>stopped</name></instanceState></item></instancesSet></item>
    </reservationSet><nextToken>page-2</nextToken></DescribeInstancesResponse>`));
    assert.equal(page.nextToken, 'page-2');
    assert.deepEqual(page.instances, [
      { instanceId: 'i-1', state: 'running', privateIpAddress: '10.16.32.5', vpcId: 'vpc-1', subnetId: 'subnet-1', availabilityZone: 'eu-west-3b', instanceProfileArn: 'arn:aws:iam::000000000000:instance-profile/team/web', tags: { Name: 'web' } },
      { instanceId: 'i-2', state: 'terminated', tags: {} },
      { instanceId: 'i-3', state: 'stopped', tags: {} },
    ]);
    assert.equal(instanceRegion(page.instances[0]!, SERVER), 'eu-west-3');
    assert.equal(instanceRegion(page.instances[1]!, SERVER), 'us-east-1');
  });

  it('names the instance profile of an ARN, path or not', () => {
    assert.equal(instanceProfileName('arn:aws:iam::000000000000:instance-profile/team/web'), 'web');
    assert.equal(instanceProfileName('arn:aws:iam::000000000000:instance-profile/web'), 'web');
  });

  it('derives the instance addresses from the private IP (a.b.c.d → 127.b.c.d)', () => {
    assert.deepEqual(instanceAddresses('10.16.32.5', SERVER), { loopback: '127.16.32.5', apiEndpoint: 'http://127.16.32.5:4566', imdsEndpoint: 'http://127.16.32.5:1338/' });
    assert.throws(() => instanceAddresses('10.0.0', SERVER));
  });
});

describe('formatTable', () => {
  it('aligns columns and shows - for what is missing', () => {
    const table = formatTable([
      { InstanceId: 'i-0123456789abcdef0', State: 'running', PrivateIpAddress: '172.31.0.10', VpcId: 'vpc-1', RoleName: 'web-role', ImdsEndpoint: 'http://127.31.0.10:1338/' },
      { InstanceId: 'i-1', State: 'terminated' },
    ]);
    assert.equal(table, [
      'INSTANCE             STATE       PRIVATE IP   VPC    ROLE      IMDS',
      'i-0123456789abcdef0  running     172.31.0.10  vpc-1  web-role  http://127.31.0.10:1338/',
      'i-1                  terminated  -            -      -         -',
      '',
    ].join('\n'));
    assert.equal(formatTable([]), 'no instances\n');
  });
});

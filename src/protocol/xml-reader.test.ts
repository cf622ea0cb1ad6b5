import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { child, childrenNamed, findFirst, parseXml, textAt } from './xml-reader.js';

describe('parseXml', () => {
  it('reads an EC2 answer: declaration, namespace, sets of items, entities, self-closing elements', () => {
    const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>abc</requestId>
  <reservationSet>
    <item><instancesSet><item><instanceId>i-1</instanceId><groupSet/><tagSet><item><key>Name</key><value>a &amp; b &lt;&#233;&#x41;&gt;</value></item></tagSet></item></instancesSet></item>
  </reservationSet>
</DescribeInstancesResponse>`);
    assert.equal(root.name, 'DescribeInstancesResponse');
    assert.equal(textAt(root, 'requestId'), 'abc');
    const instance = childrenNamed(child(childrenNamed(child(root, 'reservationSet'), 'item')[0], 'instancesSet'), 'item')[0];
    assert.equal(textAt(instance, 'instanceId'), 'i-1');
    assert.deepEqual(child(instance, 'groupSet')?.children, []);
    assert.equal(textAt(instance, 'tagSet', 'item', 'value'), 'a & b <éA>');
    assert.equal(textAt(instance, 'missing', 'deeper'), undefined);
  });

  it('reads the two error envelopes, comments and CDATA', () => {
    const ec2 = parseXml('<Response><!-- c --><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message><![CDATA[The instance ID <i-1> does not exist]]></Message></Error></Errors><RequestID>r</RequestID></Response>');
    assert.equal(textAt(findFirst(ec2, 'Error'), 'Message'), 'The instance ID <i-1> does not exist');
    const query = parseXml('<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>x</Message></Error></ErrorResponse>');
    assert.equal(textAt(findFirst(query, 'Error'), 'Code'), 'NoSuchEntity');
  });

  it('refuses what is not well-formed', () => {
    for (const bad of ['', 'not xml', '<a><b></a>', '<a>', '<a/><b/>', '<a>&bogus;</a>', '<a']) {
      assert.throws(() => parseXml(bad), Error, bad);
    }
  });
});

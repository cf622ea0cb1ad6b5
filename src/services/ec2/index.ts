/**
 * EC2 (the EC2 query protocol, version 2016-11-15), one file per resource.
 */
import { ec2Protocol } from '../../protocol/protocols.js';
import type { ServiceDefinition } from '../service.js';

export const ec2Service: ServiceDefinition = {
  name: 'ec2',
  protocol: ec2Protocol,
  version: '2016-11-15',
  xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  operations: {},
};

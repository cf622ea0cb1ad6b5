/**
 * CloudTrail (JSON 1.1 protocol, X-Amz-Target CloudTrail_20131101.*, version 2013-11-01): the
 * event history of iamd's own trail (src/audit). Trails, event data stores and Lake queries are
 * not served: iamd has one trail, always on.
 */
import { jsonProtocol } from '../../protocol/json-protocol.js';
import type { ServiceDefinition } from '../service.js';
import { lookupEvents } from './lookup-events.js';

export const cloudtrailService: ServiceDefinition = {
  name: 'cloudtrail',
  protocol: jsonProtocol('CloudTrail_20131101'),
  version: '2013-11-01',
  xmlNamespace: 'http://cloudtrail.amazonaws.com/doc/2013-11-01/',
  operations: {
    LookupEvents: lookupEvents,
  },
};

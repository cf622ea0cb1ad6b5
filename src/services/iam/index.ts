/**
 * IAM (query protocol, version 2010-05-08), one file per resource. Each file exports a map of
 * operations keyed by AWS operation name.
 */
import { queryProtocol } from '../../protocol/protocols.js';
import type { ServiceDefinition } from '../service.js';
import { accessKeyOperations } from './access-keys.js';
import { attachedPolicyOperations } from './attached-policies.js';
import { groupOperations } from './groups.js';
import { inlinePolicyOperations } from './inline-policies.js';
import { instanceProfileOperations } from './instance-profiles.js';
import { managedPolicyOperations } from './managed-policies.js';
import { permissionsBoundaryOperations } from './permissions-boundaries.js';
import { roleOperations } from './roles.js';
import { simulatorOperations } from './simulator.js';
import { userOperations } from './users.js';

export const iamService: ServiceDefinition = {
  name: 'iam',
  protocol: queryProtocol,
  version: '2010-05-08',
  xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  operations: {
    ...userOperations,
    ...accessKeyOperations,
    ...groupOperations,
    ...roleOperations,
    ...instanceProfileOperations,
    ...inlinePolicyOperations,
    ...managedPolicyOperations,
    ...attachedPolicyOperations,
    ...permissionsBoundaryOperations,
    ...simulatorOperations,
  },
};

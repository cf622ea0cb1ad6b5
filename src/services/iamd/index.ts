/**
 * iamd's own API (query protocol, SigV4 service name `iamd`, version 2026-11-28): the session
 * inventory and the revokes of src/sessions (sessions.ts), and the exfiltration findings of
 * src/findings (findings.ts). Authorized through IAM policies like any AWS action
 * (`iamd:ListSessions`, `iamd:RevokeSession`, `iamd:RevokeInstanceSessions`,
 * `iamd:RevokeRoleSessions`, `iamd:ListFindings`, ...) and audited by the pipeline like every other
 * call. The `iamd` CLI's `sessions`, `revoke-sessions` and `findings` commands are clients of it.
 */
import { queryProtocol } from '../../protocol/protocols.js';
import type { ServiceDefinition } from '../service.js';
import { sessionOperations } from './sessions.js';
import { findingOperations } from './findings.js';

export const IAMD_API_VERSION = '2026-11-28';

export const iamdService: ServiceDefinition = {
  name: 'iamd',
  protocol: queryProtocol,
  version: IAMD_API_VERSION,
  xmlNamespace: `https://iamd.dev/doc/${IAMD_API_VERSION}/`,
  operations: {
    ...sessionOperations,
    ...findingOperations,
  },
};

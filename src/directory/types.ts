/**
 * The IAM entities iamd keeps. They are plain records: the directory holds them in memory, the store
 * persists them. Times are ISO strings with milliseconds; the wire layer formats them.
 */
export interface Tag {
  Key: string;
  Value: string;
}

export type InlinePolicies = Record<string, string>; // policy name -> document text

export interface UserRecord {
  userId: string;
  userName: string;
  path: string;
  arn: string;
  createDate: string;
  tags: Tag[];
  inlinePolicies: InlinePolicies;
  attachedPolicyArns: string[];
  permissionsBoundaryArn?: string;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKeyRecord {
  accessKeyId: string;
  /** undefined for the account's root user */
  userName?: string;
  secretAccessKey: string;
  status: AccessKeyStatus;
  createDate: string;
}

export interface GroupRecord {
  groupId: string;
  groupName: string;
  path: string;
  arn: string;
  createDate: string;
  inlinePolicies: InlinePolicies;
  attachedPolicyArns: string[];
  members: string[]; // user names
}

export interface RoleRecord {
  roleId: string;
  roleName: string;
  path: string;
  arn: string;
  createDate: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  inlinePolicies: InlinePolicies;
  attachedPolicyArns: string[];
  permissionsBoundaryArn?: string;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: string;
}

export interface ManagedPolicyRecord {
  policyId: string;
  policyName: string;
  path: string;
  arn: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: PolicyVersionRecord[];
  nextVersionNumber: number;
  tags: Tag[];
}

export interface InstanceProfileRecord {
  instanceProfileId: string;
  instanceProfileName: string;
  path: string;
  arn: string;
  createDate: string;
  roleName?: string;
  tags: Tag[];
}

/** The kinds of record the store persists, with their record types. */
export interface RecordTypes {
  user: UserRecord;
  'access-key': AccessKeyRecord;
  group: GroupRecord;
  role: RoleRecord;
  policy: ManagedPolicyRecord;
  'instance-profile': InstanceProfileRecord;
}

export type RecordKind = keyof RecordTypes;

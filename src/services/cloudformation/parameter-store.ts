/**
 * A small SSM Parameter Store: name -> value, type and version, for AWS::SSM::Parameter resources,
 * `{{resolve:ssm:name[:version]}}` dynamic references and `AWS::SSM::Parameter::Value<...>`
 * template parameters. A name the store does not hold falls back to the public parameters of
 * AWS's AMI aliases (/aws/service/ami-amazon-linux-latest/..., ec2/image-catalog.ts). There is no
 * SSM API in iamd yet: CloudFormation is the only writer. Earlier versions' values are kept so a
 * versioned reference resolves as on AWS.
 */
import { RecordTable } from '../../store/record-table.js';
import type { Store } from '../../store/store.js';
import { publicAmiParameter } from '../ec2/image-catalog.js';

export type SsmParameterType = 'String' | 'StringList' | 'SecureString';

export interface SsmParameterRecord {
  name: string;
  type: SsmParameterType;
  value: string;
  version: number;
  /** earlier values by version (the current one is `value`) */
  history: Array<{ version: number; value: string }>;
  description?: string;
  allowedPattern?: string;
  dataType: string;
  tier: string;
  lastModifiedDate: string;
}

export class ParameterStore {
  private readonly table: RecordTable<SsmParameterRecord>;

  constructor(store: Store) {
    this.table = new RecordTable(store, 'ssm-parameter', (row) => row.name);
  }

  get(name: string): SsmParameterRecord | undefined {
    return this.table.get(name);
  }

  /** Creates the parameter, or writes a new version of it. */
  put(parameter: Omit<SsmParameterRecord, 'version' | 'history'>): SsmParameterRecord {
    const existing = this.table.get(parameter.name);
    const record: SsmParameterRecord = existing
      ? { ...parameter, version: existing.version + 1, history: [...existing.history, { version: existing.version, value: existing.value }] }
      : { ...parameter, version: 1, history: [] };
    this.table.put(record);
    return record;
  }

  delete(name: string): void {
    if (this.table.get(name)) this.table.delete(name);
  }

  /** The value of `name` (at `version`, when given), else the public AMI alias of that name in `region`. */
  value(name: string, region: string, version?: number): string | undefined {
    const record = this.table.get(name);
    if (record) {
      if (version === undefined || version === record.version) return record.value;
      return record.history.find((entry) => entry.version === version)?.value;
    }
    return version === undefined || version === 1 ? publicAmiParameter(name, region) : undefined;
  }
}

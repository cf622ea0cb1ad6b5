/**
 * One stack operation in progress (create, update, delete): the stack's record as it changes, and
 * its event stream. Every status change is an event, written as AWS writes them: the stack's own
 * events carry the stack name as logical id, the stack id as physical id and the type
 * AWS::CloudFormation::Stack; a resource event's id is LOGICALID-STATUS-TIMESTAMP.
 */
import type { App } from '../../../server/app.js';
import type { ResourceStatus, StackEventRecord, StackRecord, StackResourceRecord, StackStatus } from '../types.js';

export const STACK_TYPE = 'AWS::CloudFormation::Stack';

export interface ResourceEvent {
  status: ResourceStatus;
  reason?: string;
  physicalId?: string;
  /** the resource's properties as JSON (NoEcho values masked) */
  properties?: string;
}

export class StackOperation {
  constructor(readonly app: App, private current: StackRecord, readonly clientRequestToken?: string) {}

  get stack(): StackRecord {
    return this.current;
  }

  /** Changes the stack's record (and persists it). */
  save(change: Partial<StackRecord>): void {
    this.current = { ...this.current, ...change };
    this.app.cloudformation.stacks.put(this.current);
  }

  resource(logicalId: string): StackResourceRecord | undefined {
    return this.current.resources[logicalId];
  }

  putResource(record: StackResourceRecord): void {
    this.save({ resources: { ...this.current.resources, [record.logicalId]: record } });
  }

  removeResource(logicalId: string): void {
    const { [logicalId]: _removed, ...rest } = this.current.resources;
    this.save({ resources: rest });
  }

  /** A stack status change and its event. */
  stackEvent(status: StackStatus, reason?: string): void {
    const time = this.app.clock.now().toISOString();
    const change: Partial<StackRecord> = { status };
    if (reason !== undefined) change.statusReason = reason;
    else change.statusReason = undefined;
    this.save(change);
    this.record({
      eventId: this.app.ids.requestId(),
      logicalId: this.current.stackName,
      physicalId: this.current.stackId,
      resourceType: STACK_TYPE,
      timestamp: time,
      status,
      ...(reason !== undefined ? { reason } : {}),
    });
  }

  /**
   * A resource status change and its event; the resource's record follows unless `updateRecord` is
   * false (the old physical resource of a replaced resource, deleted at cleanup).
   */
  resourceEvent(logicalId: string, type: string, event: ResourceEvent, options: { updateRecord?: boolean } = {}): void {
    const time = this.app.clock.now().toISOString();
    const existing = this.current.resources[logicalId];
    const physicalId = event.physicalId ?? existing?.physicalId;
    const record: StackResourceRecord = {
      logicalId,
      type,
      status: event.status,
      timestamp: time,
      properties: existing?.properties ?? {},
      attributes: existing?.attributes ?? {},
      dependsOn: existing?.dependsOn ?? [],
      ...(existing?.description !== undefined ? { description: existing.description } : {}),
      ...(existing?.metadata !== undefined ? { metadata: existing.metadata } : {}),
      ...(existing?.placeholder ? { placeholder: true } : {}),
      ...(existing?.retain ? { retain: true } : {}),
      ...(physicalId !== undefined ? { physicalId } : {}),
      ...(event.reason !== undefined ? { statusReason: event.reason } : {}),
    };
    if (options.updateRecord !== false) this.putResource(record);
    this.record({
      eventId: `${logicalId}-${event.status}-${time}`,
      logicalId,
      resourceType: type,
      timestamp: time,
      status: event.status,
      ...(physicalId !== undefined ? { physicalId } : {}),
      ...(event.reason !== undefined ? { reason: event.reason } : {}),
      ...(event.properties !== undefined ? { properties: event.properties } : {}),
    });
  }

  private record(event: Omit<StackEventRecord, 'sequence' | 'stackId' | 'stackName'>): void {
    const state = this.app.cloudformation;
    let eventId = event.eventId;
    // Two events of one resource and status in the same millisecond: keep both.
    for (let n = 2; state.events.get(eventId); n++) eventId = `${event.eventId}-${n}`;
    state.events.put({
      ...event,
      eventId,
      sequence: state.nextSequence(),
      stackId: this.current.stackId,
      stackName: this.current.stackName,
      ...(this.clientRequestToken !== undefined ? { clientRequestToken: this.clientRequestToken } : {}),
    });
  }
}

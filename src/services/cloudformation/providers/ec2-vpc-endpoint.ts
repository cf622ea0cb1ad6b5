/**
 * AWS::EC2::VPCEndpoint (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcendpoint.html):
 * CreateVpcEndpoint (Gateway or Interface). Ref is the endpoint id; Fn::GetAtt Id,
 * CreationTimestamp, DnsEntries ("hostedZoneId:dnsName") and NetworkInterfaceIds. EC2 here has no
 * ModifyVpcEndpoint, so any change makes a new endpoint.
 */
import type { XmlObject } from '../../../protocol/xml.js';
import { flag, jsonDocument, requiredText, strings, text } from './properties.js';
import { provider } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification } from './ec2-common.js';
import { stringAt, unlessGone, valueAt } from './results.js';

function listAt(result: XmlObject, field: string): XmlObject[] {
  const value = valueAt(result, 'vpcEndpoint', field);
  return Array.isArray(value) ? value as XmlObject[] : [];
}

export const ec2VpcEndpoint = provider({
  type: 'AWS::EC2::VPCEndpoint',
  schema: {
    PolicyDocument: { type: 'json', replaces: true },
    PrivateDnsEnabled: { type: 'boolean', replaces: true },
    RouteTableIds: { type: 'list', replaces: true },
    SecurityGroupIds: { type: 'list', replaces: true },
    ServiceName: { type: 'string', required: true, replaces: true },
    SubnetIds: { type: 'list', replaces: true },
    Tags: { type: 'list', replaces: true },
    VpcEndpointType: { type: 'string', replaces: true },
    VpcId: { type: 'string', required: true, replaces: true },
  },
  attributes: ['CreationTimestamp', 'DnsEntries', 'Id', 'NetworkInterfaceIds'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'CreateVpcEndpoint', tagSpecification(ec2Params()
      .set('VpcId', requiredText(properties, 'VpcId'))
      .set('ServiceName', requiredText(properties, 'ServiceName'))
      .set('VpcEndpointType', text(properties, 'VpcEndpointType'))
      .set('PolicyDocument', jsonDocument(properties, 'PolicyDocument'))
      .set('PrivateDnsEnabled', flag(properties, 'PrivateDnsEnabled'))
      .list('RouteTableId', strings(properties, 'RouteTableIds'))
      .list('SubnetId', strings(properties, 'SubnetIds'))
      .list('SecurityGroupId', strings(properties, 'SecurityGroupIds')), 'vpc-endpoint', resourceTags(ctx, properties)));
    const endpointId = stringAt(created, 'vpcEndpoint', 'vpcEndpointId');
    stampStackTags(ctx, ctx.app.ec2.vpcEndpoints, endpointId);
    return {
      physicalId: endpointId,
      attributes: {
        Id: endpointId,
        CreationTimestamp: stringAt(created, 'vpcEndpoint', 'creationTimestamp'),
        DnsEntries: listAt(created, 'dnsEntrySet').map((entry) => `${String(entry.hostedZoneId)}:${String(entry.dnsName)}`),
        NetworkInterfaceIds: (valueAt(created, 'vpcEndpoint', 'networkInterfaceIdSet') as string[] | undefined ?? []).map(String),
      },
    };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DeleteVpcEndpoints', ec2Params().list('VpcEndpointId', [current.physicalId])));
  },
});

/**
 * Regions and availability zones. The server lives in one region (app.region); its zones are the
 * ones a new AWS account sees there (zone ids such as use1-az1 are mapped per account on AWS; iamd
 * uses one fixed mapping). DescribeRegions lists the commercial regions, opt-in ones only with
 * AllRegions.
 */
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type OperationMap } from '../service.js';
import { describeAuthorization, requireAll } from './common.js';
import { invalidParameterValue } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, type FilterFields } from './input.js';

interface RegionInfo {
  name: string;
  optIn: boolean;
  /** zone letters */
  zones: string;
  zoneIdPrefix: string;
}

const REGIONS: readonly RegionInfo[] = [
  { name: 'us-east-1', optIn: false, zones: 'abcdef', zoneIdPrefix: 'use1' },
  { name: 'us-east-2', optIn: false, zones: 'abc', zoneIdPrefix: 'use2' },
  { name: 'us-west-1', optIn: false, zones: 'bc', zoneIdPrefix: 'usw1' },
  { name: 'us-west-2', optIn: false, zones: 'abcd', zoneIdPrefix: 'usw2' },
  { name: 'ca-central-1', optIn: false, zones: 'abd', zoneIdPrefix: 'cac1' },
  { name: 'sa-east-1', optIn: false, zones: 'abc', zoneIdPrefix: 'sae1' },
  { name: 'eu-west-1', optIn: false, zones: 'abc', zoneIdPrefix: 'euw1' },
  { name: 'eu-west-2', optIn: false, zones: 'abc', zoneIdPrefix: 'euw2' },
  { name: 'eu-west-3', optIn: false, zones: 'abc', zoneIdPrefix: 'euw3' },
  { name: 'eu-central-1', optIn: false, zones: 'abc', zoneIdPrefix: 'euc1' },
  { name: 'eu-north-1', optIn: false, zones: 'abc', zoneIdPrefix: 'eun1' },
  { name: 'ap-south-1', optIn: false, zones: 'abc', zoneIdPrefix: 'aps1' },
  { name: 'ap-northeast-1', optIn: false, zones: 'acd', zoneIdPrefix: 'apne1' },
  { name: 'ap-northeast-2', optIn: false, zones: 'abcd', zoneIdPrefix: 'apne2' },
  { name: 'ap-northeast-3', optIn: false, zones: 'abc', zoneIdPrefix: 'apne3' },
  { name: 'ap-southeast-1', optIn: false, zones: 'abc', zoneIdPrefix: 'apse1' },
  { name: 'ap-southeast-2', optIn: false, zones: 'abc', zoneIdPrefix: 'apse2' },
  { name: 'af-south-1', optIn: true, zones: 'abc', zoneIdPrefix: 'afs1' },
  { name: 'ap-east-1', optIn: true, zones: 'abc', zoneIdPrefix: 'ape1' },
  { name: 'ap-south-2', optIn: true, zones: 'abc', zoneIdPrefix: 'aps2' },
  { name: 'ap-southeast-3', optIn: true, zones: 'abc', zoneIdPrefix: 'apse3' },
  { name: 'ap-southeast-4', optIn: true, zones: 'abc', zoneIdPrefix: 'apse4' },
  { name: 'ca-west-1', optIn: true, zones: 'abc', zoneIdPrefix: 'caw1' },
  { name: 'eu-south-1', optIn: true, zones: 'abc', zoneIdPrefix: 'eus1' },
  { name: 'eu-south-2', optIn: true, zones: 'abc', zoneIdPrefix: 'eus2' },
  { name: 'eu-central-2', optIn: true, zones: 'abc', zoneIdPrefix: 'euc2' },
  { name: 'il-central-1', optIn: true, zones: 'abc', zoneIdPrefix: 'ilc1' },
  { name: 'me-south-1', optIn: true, zones: 'abc', zoneIdPrefix: 'mes1' },
  { name: 'me-central-1', optIn: true, zones: 'abc', zoneIdPrefix: 'mec1' },
];

export interface AvailabilityZone {
  zoneName: string;
  zoneId: string;
  regionName: string;
}

function regionInfo(region: string): RegionInfo {
  return REGIONS.find((info) => info.name === region)
    ?? { name: region, optIn: false, zones: 'abc', zoneIdPrefix: region.split('-').map((part) => part[0] ?? '').join('') + (region.match(/\d+$/)?.[0] ?? '1') };
}

/** The zones of a region, in name order (the default VPC has one default subnet in each). */
export function availabilityZones(region: string): AvailabilityZone[] {
  const info = regionInfo(region);
  return [...info.zones].map((letter, index) => ({ zoneName: `${region}${letter}`, zoneId: `${info.zoneIdPrefix}-az${index + 1}`, regionName: region }));
}

// --- operations

const regionXml = (info: RegionInfo): XmlObject => ({
  regionName: info.name,
  regionEndpoint: `ec2.${info.name}.amazonaws.com`,
  optInStatus: info.optIn ? 'not-opted-in' : 'opt-in-not-required',
});

const REGION_FILTERS: FilterFields<RegionInfo> = {
  'region-name': (info) => info.name,
  endpoint: (info) => `ec2.${info.name}.amazonaws.com`,
  'opt-in-status': (info) => (info.optIn ? 'not-opted-in' : 'opt-in-not-required'),
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html */
const DescribeRegions = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeRegions')]);
    const names = input.list('RegionName');
    const all = input.boolean('AllRegions') ?? false;
    const own = regionInfo(ctx.app.region);
    const known = REGIONS.some((info) => info.name === own.name) ? REGIONS : [...REGIONS, own];
    for (const name of names) {
      if (!known.some((info) => info.name === name)) throw invalidParameterValue(`Invalid region: ${name}`);
    }
    let regions = names.length > 0 ? known.filter((info) => names.includes(info.name)) : known.filter((info) => all || !info.optIn);
    regions = applyFilters(regions, filtersOf(input), REGION_FILTERS);
    return { regionInfo: regions.map(regionXml) };
  },
});

const ZONE_FILTERS: FilterFields<AvailabilityZone> = {
  'zone-name': (zone) => zone.zoneName,
  'zone-id': (zone) => zone.zoneId,
  'region-name': (zone) => zone.regionName,
  state: () => 'available',
  'zone-type': () => 'availability-zone',
  'group-name': (zone) => zone.regionName,
  'group-long-name': (zone) => zone.regionName,
  'network-border-group': (zone) => zone.regionName,
  'opt-in-status': () => 'opt-in-not-required',
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html */
const DescribeAvailabilityZones = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeAvailabilityZones')]);
    const zones = availabilityZones(ctx.app.region);
    const names = input.list('ZoneName');
    const ids = input.list('ZoneId');
    for (const name of names) {
      if (!zones.some((zone) => zone.zoneName === name)) throw invalidParameterValue(`The zone '${name}' does not exist.`);
    }
    for (const id of ids) {
      if (!zones.some((zone) => zone.zoneId === id)) throw invalidParameterValue(`The zone ID '${id}' does not exist.`);
    }
    const chosen = zones.filter((zone) => (names.length === 0 && ids.length === 0) || names.includes(zone.zoneName) || ids.includes(zone.zoneId));
    return {
      availabilityZoneInfo: applyFilters(chosen, filtersOf(input), ZONE_FILTERS).map((zone) => ({
        optInStatus: 'opt-in-not-required',
        messageSet: [],
        regionName: zone.regionName,
        zoneName: zone.zoneName,
        zoneId: zone.zoneId,
        groupName: zone.regionName,
        networkBorderGroup: zone.regionName,
        zoneType: 'availability-zone',
        groupLongName: zone.regionName,
        zoneState: 'available',
      })),
    };
  },
});

export const regionOperations: OperationMap = { DescribeRegions, DescribeAvailabilityZones };

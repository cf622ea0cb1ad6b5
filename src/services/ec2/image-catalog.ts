/**
 * A small fixed catalog of public images, as a snapshot: Amazon Linux 2 and 2023 (x86_64 and
 * arm64), Ubuntu 22.04 and 24.04, Windows Server 2022, each with the public SSM parameters that
 * name it (/aws/service/ami-amazon-linux-latest/...). The ids for us-east-1 (and us-east-2 for
 * Amazon Linux 2023) are ones AWS published for these builds; other images and regions get a
 * stable id derived from the image name and region, so one catalog serves every region.
 * `publicAmiParameter` resolves a parameter for CloudFormation's `AWS::SSM::Parameter::Value<...>`.
 */
import { createHash } from 'node:crypto';

export interface PublicImage {
  imageId: string;
  name: string;
  description: string;
  architecture: 'x86_64' | 'arm64';
  ownerId: string;
  ownerAlias?: string;
  platform?: 'windows';
  platformDetails: string;
  usageOperation: string;
  rootDeviceName: string;
  volumeSize: number;
  volumeType: 'gp2' | 'gp3';
  creationDate: string;
  bootMode?: 'legacy-bios' | 'uefi' | 'uefi-preferred';
  /** 'v2.0': instances launched from it require IMDSv2 (HttpTokens required, hop limit 2) */
  imdsSupport?: 'v2.0';
  ssmParameters: readonly string[];
}

interface CatalogEntry extends Omit<PublicImage, 'imageId'> {
  /** ids published by AWS, by region */
  ids: Readonly<Record<string, string>>;
}

const AMAZON = '137112412989';
const AMAZON_WINDOWS = '801119661308';
const CANONICAL = '099720109477';
const LINUX = { platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances' } as const;

const CATALOG: readonly CatalogEntry[] = [
  {
    ...LINUX, name: 'amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2', description: 'Amazon Linux 2 AMI 2.0.20240131.0 x86_64 HVM gp2',
    architecture: 'x86_64', ownerId: AMAZON, ownerAlias: 'amazon', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp2',
    creationDate: '2024-02-01T19:45:24.000Z',
    ssmParameters: ['/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2'],
    ids: { 'us-east-1': 'ami-03c951bbe993ea087' },
  },
  {
    ...LINUX, name: 'amzn2-ami-hvm-2.0.20240131.0-arm64-gp2', description: 'Amazon Linux 2 AMI 2.0.20240131.0 arm64 HVM gp2',
    architecture: 'arm64', ownerId: AMAZON, ownerAlias: 'amazon', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp2',
    creationDate: '2024-02-01T19:45:31.000Z', bootMode: 'uefi',
    ssmParameters: ['/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-arm64-gp2'],
    ids: {},
  },
  {
    ...LINUX, name: 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64', description: 'Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1',
    architecture: 'x86_64', ownerId: AMAZON, ownerAlias: 'amazon', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp3',
    creationDate: '2024-11-20T22:28:51.000Z', bootMode: 'uefi-preferred', imdsSupport: 'v2.0',
    ssmParameters: ['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64'],
    ids: { 'us-east-1': 'ami-0453ec754f44f9a4a', 'us-east-2': 'ami-0c80e2b6ccb9ad6d1' },
  },
  {
    ...LINUX, name: 'al2023-ami-2023.6.20241121.0-kernel-6.1-arm64', description: 'Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1',
    architecture: 'arm64', ownerId: AMAZON, ownerAlias: 'amazon', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp3',
    creationDate: '2024-11-20T22:28:58.000Z', bootMode: 'uefi', imdsSupport: 'v2.0',
    ssmParameters: ['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64'],
    ids: { 'us-east-1': 'ami-0ed83e7a78a23014e', 'us-east-2': 'ami-0a9f08a6603f3338e' },
  },
  {
    ...LINUX, name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240126', description: 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2024-01-26',
    architecture: 'x86_64', ownerId: CANONICAL, rootDeviceName: '/dev/sda1', volumeSize: 8, volumeType: 'gp2',
    creationDate: '2024-01-26T07:22:45.000Z',
    ssmParameters: ['/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id'],
    ids: {},
  },
  {
    ...LINUX, name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119', description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    architecture: 'x86_64', ownerId: CANONICAL, rootDeviceName: '/dev/sda1', volumeSize: 8, volumeType: 'gp3',
    creationDate: '2024-11-19T08:10:12.000Z', bootMode: 'uefi-preferred',
    ssmParameters: ['/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id'],
    ids: {},
  },
  {
    name: 'Windows_Server-2022-English-Full-Base-2024.11.13', description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    architecture: 'x86_64', ownerId: AMAZON_WINDOWS, ownerAlias: 'amazon', platform: 'windows', platformDetails: 'Windows', usageOperation: 'RunInstances:0002',
    rootDeviceName: '/dev/sda1', volumeSize: 30, volumeType: 'gp2',
    creationDate: '2024-11-13T21:07:40.000Z', bootMode: 'uefi-preferred', imdsSupport: 'v2.0',
    ssmParameters: ['/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base'],
    ids: {},
  },
];

function imageIdIn(entry: CatalogEntry, region: string): string {
  return entry.ids[region] ?? `ami-0${createHash('sha256').update(`${entry.name}\0${region}`).digest('hex').slice(0, 16)}`;
}

const byRegion = new Map<string, readonly PublicImage[]>();

/** The catalog as it appears in `region`. */
export function publicImages(region: string): readonly PublicImage[] {
  let images = byRegion.get(region);
  if (!images) {
    images = CATALOG.map((entry) => {
      const { ids: _ids, ...image } = entry;
      return { ...image, imageId: imageIdIn(entry, region) };
    });
    byRegion.set(region, images);
  }
  return images;
}

export function findPublicImage(region: string, imageId: string): PublicImage | undefined {
  return publicImages(region).find((image) => image.imageId === imageId);
}

/** The image id a public SSM parameter names in `region` (with or without the leading slash), or undefined. */
export function publicAmiParameter(name: string, region: string): string | undefined {
  const wanted = name.startsWith('/') ? name : `/${name}`;
  const entry = CATALOG.find((candidate) => candidate.ssmParameters.includes(wanted));
  return entry ? imageIdIn(entry, region) : undefined;
}

/**
 * DescribeImages over the fixed public catalog (image-catalog.ts). Owner.N takes account ids and
 * the aliases amazon / self; the catalog's images are all public, owned by Amazon or Canonical, so
 * `self` finds none. The snapshot's images are shown as current (no DeprecationTime).
 */
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, requireAll } from './common.js';
import { derivedId } from './ids.js';
import type { PublicImage } from './image-catalog.js';
import { publicImages } from './image-catalog.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, type FilterFields } from './input.js';
import { findImage } from './lookups.js';

function imageXml(image: PublicImage): XmlObject {
  const gp3 = image.volumeType === 'gp3';
  return {
    imageId: image.imageId,
    imageLocation: `${image.ownerAlias ?? image.ownerId}/${image.name}`,
    imageState: 'available',
    imageOwnerId: image.ownerId,
    creationDate: image.creationDate,
    isPublic: true,
    architecture: image.architecture,
    imageType: 'machine',
    platform: image.platform,
    platformDetails: image.platformDetails,
    usageOperation: image.usageOperation,
    imageOwnerAlias: image.ownerAlias,
    name: image.name,
    description: image.description,
    rootDeviceType: 'ebs',
    rootDeviceName: image.rootDeviceName,
    blockDeviceMapping: [{
      deviceName: image.rootDeviceName,
      ebs: {
        deleteOnTermination: true,
        snapshotId: derivedId('snap', image.imageId),
        volumeSize: image.volumeSize,
        volumeType: image.volumeType,
        encrypted: false,
        ...(gp3 ? { iops: 3000, throughput: 125 } : {}),
      },
    }],
    virtualizationType: 'hvm',
    tagSet: [],
    hypervisor: 'xen',
    enaSupport: true,
    sriovNetSupport: 'simple',
    bootMode: image.bootMode,
    imdsSupport: image.imdsSupport,
    publicSsmParameterName: image.ssmParameters[0]?.slice(1),
  };
}

const IMAGE_FILTERS: FilterFields<PublicImage> = {
  name: (image) => image.name,
  'image-id': (image) => image.imageId,
  architecture: (image) => image.architecture,
  'owner-id': (image) => image.ownerId,
  'owner-alias': (image) => image.ownerAlias,
  platform: (image) => image.platform,
  'platform-details': (image) => image.platformDetails,
  'usage-operation': (image) => image.usageOperation,
  description: (image) => image.description,
  'virtualization-type': () => 'hvm',
  'root-device-type': () => 'ebs',
  'root-device-name': (image) => image.rootDeviceName,
  state: () => 'available',
  'is-public': () => true,
  'image-type': () => 'machine',
  hypervisor: () => 'xen',
  'ena-support': () => true,
  'sriov-net-support': () => 'simple',
  'boot-mode': (image) => image.bootMode,
  'imds-support': (image) => image.imdsSupport,
  'block-device-mapping.volume-type': (image) => image.volumeType,
  'block-device-mapping.volume-size': (image) => image.volumeSize,
  'block-device-mapping.device-name': (image) => image.rootDeviceName,
  'creation-date': (image) => image.creationDate,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html */
const DescribeImages = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('ImageId');
    const owners = input.list('Owner');
    const page = pageRequest(input, { min: 6, max: 1000 });
    const filters = filtersOf(input);
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => findImage(ctx, id)) : publicImages(ctx.app.region);
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeImages')]);
    const owned = owners.length === 0 ? chosen : chosen.filter((image) =>
      owners.some((owner) => owner === image.ownerId || (owner === 'amazon' && image.ownerAlias === 'amazon')));
    const matching = applyFilters(owned, filters, IMAGE_FILTERS, () => []).sort(byKey((image) => image.imageId));
    const { items, nextToken } = paginate(matching, page);
    return { imagesSet: items.map(imageXml), nextToken };
  },
});

export const imageOperations: OperationMap = { DescribeImages };

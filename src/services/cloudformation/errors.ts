/**
 * CloudFormation's errors as the API answers them: almost everything is a ValidationError (400)
 * with a sentence of its own; the modelled exceptions carry their own codes
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html and each
 * action's page).
 */
import { AwsError } from '../../protocol/aws-error.js';

export const validationError = (message: string): AwsError => new AwsError('ValidationError', message, 400);

/** "Stack with id my-stack does not exist" (a name or an id, as given). */
export const stackNotFound = (nameOrId: string): AwsError => validationError(`Stack with id ${nameOrId} does not exist`);

export const alreadyExists = (name: string): AwsError => new AwsError('AlreadyExistsException', `Stack [${name}] already exists`, 400);

/** "Requires capabilities : [CAPABILITY_NAMED_IAM]" */
export const insufficientCapabilities = (capability: string): AwsError =>
  new AwsError('InsufficientCapabilitiesException', `Requires capabilities : [${capability}]`, 400);

export const noTemplate = (): AwsError => validationError('Either Template URL or Template Body must be specified.');
export const bothTemplates = (): AwsError => validationError('You cannot specify both Template URL and Template Body.');

/** "Stack:arn:... is in CREATE_IN_PROGRESS state and can not be updated." */
export const cannotUpdate = (stackId: string, status: string): AwsError =>
  validationError(`Stack:${stackId} is in ${status} state and can not be updated.`);

export const noUpdates = (): AwsError => validationError('No updates are to be performed.');

// --- change sets (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html and the other change set actions)

/** "ChangeSet [NAME_OR_ARN] does not exist" (404, as the API answers it). */
export const changeSetNotFound = (nameOrId: string): AwsError => new AwsError('ChangeSetNotFound', `ChangeSet [${nameOrId}] does not exist`, 404);
export const isChangeSetNotFound = (error: unknown): boolean => error instanceof AwsError && error.code === 'ChangeSetNotFound';

/** A change set named like one the stack has, asked for differently. */
export const changeSetMismatch = (name: string, attribute: string): AwsError =>
  new AwsError('AlreadyExistsException', `ChangeSet ${name} cannot be created due to a mismatch with existing attribute ${attribute}`, 400);

export const invalidChangeSetStatus = (message: string): AwsError => new AwsError('InvalidChangeSetStatus', message, 400);

/** A stack a change set names by name that has no live stack: "Stack [my-stack] does not exist". */
export const changeSetStackNotFound = (nameOrId: string): AwsError => validationError(`Stack [${nameOrId}] does not exist`);

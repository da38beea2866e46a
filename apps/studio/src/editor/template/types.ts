import type { PublishTemplateBody } from '@weft/workflow-schema';

export type { PublishTemplateBody };
/** What the creator says about each credential slot, keyed by the secret's name. */
export type SlotDescriptionsLike = NonNullable<PublishTemplateBody['credentials']>;

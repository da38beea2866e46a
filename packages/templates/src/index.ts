export { analyzeTemplate, literalHost } from './analyze';
export type { CredentialSlot, SlotDescription, TemplateAnalysis } from './analyze';
export { credentialLiterals, credentialLooking, shannonEntropy, ENTROPY_THRESHOLD, MIN_ENTROPY_TOKEN } from './credential-literals';
export { bindSlots, mappingIssues } from './slots';
export { MODERATION_TRANSITIONS, nextStatus } from './moderation';
export { bindConnections, connectionKind, connectionMappingIssues, connectionUses, providerOfKind } from './connection-slots';
export type { ConnectionUse } from './connection-slots';

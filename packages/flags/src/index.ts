export { FLAGS, FLAG_KEYS, FlagKeySchema, type FlagDefinition, type FlagKey, type FlagReader } from './catalog';
export { FeatureFlags, type FeatureFlagsOptions, type FlagState } from './feature-flags';

/** One usage report to a billing provider: a meter's value for a customer, deduplicated by `identifier`. */
export interface MeterEvent {
  eventName: string;
  customerId: string;
  value: bigint;
  /** Derived from the usage row it reports: the same row always gives the same identifier. */
  identifier: string;
  /** When the usage happened. */
  timestamp: Date;
}

/**
 * Where usage is reported for billing (the prototype's interface; Stripe is one adapter).
 * `reported`: the provider took it now; `duplicate`: it already had this identifier (a retry of
 * something already reported: nothing is billed twice).
 */
export interface BillingProvider {
  reportUsage(event: MeterEvent): Promise<'reported' | 'duplicate'>;
}

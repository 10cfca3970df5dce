// The client lives in src/private/, shared with the Region switch rehearsal's handler.
export * from '../private/arc-region-switch-client';

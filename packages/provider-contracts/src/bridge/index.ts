// The Bridge wire contract, written once: what the documents say [doc], what third parties show [seen],
// and our choices where the documents are silent [ours]. Both the client (lib/bridge) and the simulator
// (@guidepost/sandbox) take them from here; see ../../../../../shared/PROVIDERS.md. The contract suite
// that checks a Bridge (real or simulated) against it is ./contract-suite.ts, exported on its own
// (`@guidepost/provider-contracts/bridge/contract-suite`) so that nothing but tests loads Vitest.
export * from './api';
export * from './requests';
export * from './webhooks';
export * from './wire';

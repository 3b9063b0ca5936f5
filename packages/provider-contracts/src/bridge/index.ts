// The Bridge wire contract: what the documents say [doc], what third parties show [seen], and our
// choices where the documents are silent [ours]. Both the client (lib/bridge) and the simulator
// (@guidepost/sandbox) take them from here; see ../../../../../shared/PROVIDERS.md.
export * from './wire';

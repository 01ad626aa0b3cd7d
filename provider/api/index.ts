/** ModelArts API families: zod schemas of bodies and typed calls. */
export * from "./devServers";
export * from "./devServerAttachments";
export * from "./notebooks";
export { parseResponse, checkRequest, describeIssues } from "./parse";
export * from "./bss";

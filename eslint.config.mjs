import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Layers only point down (docs/ARCHITECTURE.md):
 *
 *   sdk, plugin -> provider/index -> provider/{resources, functions} -> provider/api -> provider/client
 *       -> provider/{wait, config, endpoints} -> provider/{errors, log, clock, duration}
 *
 * The two front doors (sdk, plugin) sit side by side on top: neither imports the other, and nothing
 * of the provider imports either.
 *
 * (The client does not wait: it is one request at a time. An API module may wait on its own
 * asynchronous operations, e.g. a BSS order or a volume operation.)
 *
 * Each entry: the files of one layer, and the regular expressions of the import specifiers (as
 * written, relative to that file) that would reach a layer above it.
 */
// A sibling of a top-level provider module (`./config`), or a module reached by climbing (`../api`,
// `../../index`): a file's own folder (`./index` inside client/) is never "above" it.
const sibling = (...targets) => `^\\./(${targets.join("|")})(/|$)`;
const up = (...targets) => `^(\\./)?(\\.\\./)+(${targets.join("|")})(/|$)`;
const LAYERS = [
    {
        files: ["provider/errors.ts", "provider/log.ts", "provider/clock.ts", "provider/duration.ts"],
        forbidden: [sibling("config", "endpoints", "wait", "client", "api", "resources", "index"), up("sdk", "plugin", "emulator"), "^@pulumi/", "^zod$", "^axios$"],
        why: "errors, log, clock and duration are the bottom layer: they import nothing of the provider but each other",
    },
    {
        files: ["provider/config.ts", "provider/endpoints.ts", "provider/wait.ts"],
        forbidden: [sibling("client", "api", "resources", "index"), up("sdk", "plugin", "emulator"), "^@pulumi/", "^zod$", "^axios$"],
        why: "config and wait sit just above errors/log/clock: they must not reach the client, the API or the resources",
    },
    {
        files: ["provider/client/**/*.ts"],
        forbidden: [up("wait", "api", "resources", "index", "sdk", "plugin", "emulator"), "^@pulumi/", "^zod$"],
        why: "the client is HTTP transport: it knows nothing of API families, resources or Pulumi",
    },
    {
        files: ["provider/api/**/*.ts"],
        forbidden: [up("resources", "index", "sdk", "plugin", "emulator"), "^@pulumi/"],
        why: "an API module is bodies, calls and their waits: it knows nothing of resources or Pulumi",
    },
    {
        files: ["provider/resources/**/*.ts"],
        forbidden: [up("index", "sdk", "plugin", "emulator")],
        why: "resources are called by provider/index and the SDK, never the other way round",
    },
    {
        files: ["provider/functions/**/*.ts"],
        forbidden: [up("index", "sdk", "plugin", "emulator")],
        why: "functions are called by provider/index, the SDK and the plugin, never the other way round",
    },
    {
        files: ["sdk/**/*.ts"],
        forbidden: [up("provider/client", "provider/api", "provider/wait", "provider/config", "provider/endpoints", "plugin", "emulator"), "^axios$"],
        why: "the SDK knows nothing about HTTP: it may use the resources' field tables, nothing below them",
    },
    {
        files: ["plugin/**/*.ts"],
        forbidden: [
            up("provider/resources", "provider/functions", "provider/api", "provider/client", "provider/wait", "provider/endpoints", "sdk", "emulator"),
            "^axios$",
        ],
        why: "the plugin is a front door beside the SDK: it reaches the resources (operations and field tables) through provider/index, and uses only provider/config and provider/log besides",
    },
    {
        files: ["emulator/**/*.ts"],
        forbidden: [up("sdk", "plugin", "provider/(?!client/signer)[^/]+")],
        why: "the emulator stands for the cloud: it shares only the signature scheme with the provider",
    },
];

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "docs/**", "coverage/**", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
    // A provider file that outgrows this is doing two things (issue 21): split it where the concepts part.
    { files: ["provider/**/*.ts"], rules: { "max-lines": ["error", { max: 450 }] } },
    ...LAYERS.map(({ files, forbidden, why }) => ({
        files,
        rules: {
            "no-restricted-imports": ["error", { patterns: forbidden.map((regex) => ({ regex, message: why })) }],
        },
    })),
);

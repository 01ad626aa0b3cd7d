/**
 * Runs Pulumi programs with the real Pulumi CLI, as a user would: `pulumi up`, `preview`,
 * `refresh`, `destroy`, `import`, `stack export`, on a copy of a program, with a file state
 * backend and passphrase secrets, against an emulator started by the test.
 *
 * The CLI is the installed one or the one scripts/pulumi-cli.cjs builds (it is built once, before
 * jest, by `npm test`; a test file run on its own builds it when missing). Nothing here skips:
 * without a CLI these tests fail, and say why.
 */
import { spawn, ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { RunningEmulator } from "../../emulator";

export const REPO = path.resolve(__dirname, "..", "..");
/** Where the tests' work folders go: git-ignored, inside the repository (see PulumiProject). */
export const LOCAL = path.join(REPO, ".pulumi-local");

const pulumiCli = require("../../scripts/pulumi-cli.cjs") as {
    ensurePulumi(): Promise<Cli>;
    cliEnv(cli: Cli, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
};

export interface Cli {
    command: string;
    binDir: string;
    source: string;
}

let cliPromise: Promise<Cli> | undefined;
/** The Pulumi CLI, built on first use when none is installed. */
export function pulumiCommand(): Promise<Cli> {
    cliPromise ??= pulumiCli.ensurePulumi();
    return cliPromise;
}

/** The environment the CLI runs with: its folder and the plugin's first on PATH. */
export function cliEnvironment(cli: Cli, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return pulumiCli.cliEnv(cli, env);
}

/**
 * A virtualenv with a Python example's pinned requirements and the generated SDK (sdk/python,
 * editable), made once under .pulumi-cli/ and reused while the requirements are unchanged.
 */
export function pythonVirtualenv(requirements = path.join(REPO, "examples", "python-quickstart", "requirements.txt")): string {
    const text = fs.readFileSync(requirements, "utf8");
    const key = require("crypto").createHash("sha256").update(text).digest("hex").slice(0, 12);
    const venv = path.join(REPO, ".pulumi-cli", `python-${key}`);
    const python = path.join(venv, "bin", "python");
    const stamp = path.join(venv, "installed");
    if (!fs.existsSync(stamp)) {
        fs.rmSync(venv, { recursive: true, force: true });
        const steps: string[][] = [
            ["python3", "-m", "venv", venv],
            [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements, "-e", path.join(REPO, "sdk", "python")],
        ];
        for (const [cmd, ...args] of steps) {
            const r = require("child_process").spawnSync(cmd, args, { encoding: "utf8" });
            if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
        }
        fs.writeFileSync(stamp, text);
    }
    return venv;
}

/** What a program needs to reach the emulator: its endpoint, default tenant and fast polls. */
export function emulatorEnvironment(emu: RunningEmulator): Record<string, string> {
    return {
        HW_MODELARTS_ENDPOINT: emu.url,
        HW_ACCESS_KEY: emu.accessKey,
        HW_SECRET_KEY: emu.secretKey,
        HW_PROJECT_ID: emu.projectId,
        HW_REGION_NAME: emu.region,
        PULUMI_MODELARTS_POLL_SCALE: "0.1",
    };
}

export interface RunResult {
    status: number;
    stdout: string;
    stderr: string;
    /** stdout and stderr together, for assertions on what the user saw. */
    output: string;
}

/** What was secret in a run: the tests look for these in state, logs and errors. */
export const E2E_PASSPHRASE = "e2e-only-passphrase";

export interface ProjectOptions {
    /** The emulator the program talks to (its endpoint and default tenant's credentials). */
    emulator: RunningEmulator;
    /** Extra environment for the CLI and the program. */
    env?: Record<string, string>;
    /** Stack name; default "e2e". */
    stack?: string;
    /** Replaces the `virtualenv` runtime option of a Python program (see pythonVirtualenv). */
    virtualenv?: string;
}

/**
 * A copy of a program folder under .pulumi-local/ (inside the repository, so that
 * `pulumi-modelarts` and @pulumi/pulumi resolve through its node_modules, as in a user's project),
 * with its own state folder.
 */
export class PulumiProject {
    readonly dir: string;
    readonly stack: string;
    private readonly stateDir: string;
    private cli!: Cli;
    private env!: NodeJS.ProcessEnv;

    private constructor(readonly source: string, private readonly options: ProjectOptions, work: string) {
        this.dir = path.join(work, path.basename(source));
        this.stateDir = path.join(work, "state");
        this.stack = options.stack ?? "e2e";
    }

    /**
     * Copies `source` (a folder, relative to the repository) into a fresh work folder, creates the
     * stack and sets `config`.
     */
    static async create(source: string, options: ProjectOptions, config: Record<string, string> = {}): Promise<PulumiProject> {
        fs.mkdirSync(LOCAL, { recursive: true });
        const work = fs.mkdtempSync(path.join(LOCAL, `e2e-${path.basename(source)}-`));
        const project = new PulumiProject(path.join(REPO, source), options, work);
        fs.cpSync(project.source, project.dir, {
            recursive: true,
            filter: (f) => !/(^|\/)(node_modules|venv|\.venv|__pycache__|Pulumi\.[^/]+\.yaml)$/.test(f) || f.endsWith("Pulumi.yaml"),
        });
        fs.mkdirSync(project.stateDir, { recursive: true });
        // A plugin path in Pulumi.yaml is relative to the program's own folder: keep it pointing there.
        const manifest = path.join(project.dir, "Pulumi.yaml");
        const yaml = fs.readFileSync(manifest, "utf8");
        let text = yaml.replace(/^(\s+path:\s*)(\.\.?\/\S*)$/gm, (_m, key: string, rel: string) => key + path.resolve(project.source, rel));
        if (options.virtualenv) text = text.replace(/^(\s+virtualenv:\s*)\S+$/m, (_m, key: string) => key + options.virtualenv);
        fs.writeFileSync(manifest, text);
        const gomod = path.join(project.dir, "go.mod");
        if (fs.existsSync(gomod)) {
            const mod = fs.readFileSync(gomod, "utf8");
            fs.writeFileSync(gomod, mod.replace(/=> (\.\.?\/\S+)/g, (_m, rel: string) => `=> ${path.resolve(project.source, rel)}`));
        }
        project.cli = await pulumiCommand();
        const emu = options.emulator;
        project.env = pulumiCli.cliEnv(project.cli, {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${project.stateDir}`,
            PULUMI_CONFIG_PASSPHRASE: E2E_PASSPHRASE,
            PULUMI_HOME: path.join(work, "pulumi-home"),
            ...emulatorEnvironment(emu),
            NO_COLOR: "1",
            ...options.env,
        });
        delete project.env.HW_SECURITY_TOKEN;
        await project.must(["stack", "init", project.stack, "--secrets-provider", "passphrase"]);
        for (const [key, value] of Object.entries(config)) await project.setConfig(key, value);
        return project;
    }

    /**
     * Runs `pulumi <args>` in the program's folder. Asynchronous on purpose: the emulator answers
     * from this same process, so a synchronous spawn would leave the program waiting on it forever.
     */
    run(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
        const child = this.start(args);
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (b: Buffer) => (stdout += b.toString()));
        child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
        const timer = setTimeout(() => {
            stderr += `\n[test] pulumi ${args.join(" ")} still running after ${options.timeoutMs ?? 240_000} ms: killed`;
            child.kill("SIGKILL");
        }, options.timeoutMs ?? 240_000);
        return new Promise((resolve) => {
            child.on("close", (code) => {
                clearTimeout(timer);
                resolve({ status: code ?? 1, stdout, stderr, output: `${stdout}\n${stderr}` });
            });
        });
    }

    /** Like run, but a non-zero exit fails the test with everything the CLI printed. */
    async must(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
        const r = await this.run(args, options);
        if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.status}:\n${r.output}`);
        return r;
    }

    /** Starts `pulumi <args>` without waiting (for the interrupt tests). */
    start(args: string[]): ChildProcess {
        return spawn(this.cli.command, [...args, "--non-interactive"], { cwd: this.dir, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    }

    async setConfig(key: string, value: string, secret = false): Promise<void> {
        await this.must(["config", "set", ...(secret ? ["--secret"] : []), key, value]);
    }

    up(extra: string[] = []): Promise<RunResult> {
        return this.must(["up", "--yes", "--skip-preview", ...extra]);
    }

    /** The stack's outputs, secrets shown. */
    async outputs(): Promise<Record<string, any>> {
        return JSON.parse((await this.must(["stack", "output", "--json", "--show-secrets"])).stdout);
    }

    /** `pulumi stack export`: the state as the backend keeps it (secrets encrypted). */
    async exportState(): Promise<{ text: string; resources: any[] }> {
        const text = (await this.must(["stack", "export"])).stdout;
        return { text, resources: JSON.parse(text).deployment.resources ?? [] };
    }

    /** The state file itself, as written to disk by the file backend. */
    stateFiles(): string {
        const out: string[] = [];
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                const p = path.join(d, e.name);
                if (e.isDirectory()) walk(p);
                else out.push(fs.readFileSync(p, "utf8"));
            }
        };
        walk(this.stateDir);
        return out.join("\n");
    }

    /** Destroys what is left and removes the work folder. Never throws. */
    async cleanUp(): Promise<void> {
        await this.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
        fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
    }
}

/** The "N to create / N updated ..." counts of a CLI summary, e.g. { create: 1 } (unchanged left out). */
export function changeCounts(output: string): Record<string, number> {
    const counts: Record<string, number> = {};
    const section = output.slice(output.lastIndexOf("Resources:"));
    for (const m of section.matchAll(/^\s+[+~\-±]*\s*(\d+) (to create|to update|to delete|to replace|to import|created|updated|deleted|replaced|imported)\b/gm)) {
        const verb = m[2].replace(/^to /, "");
        const key = { created: "create", updated: "update", deleted: "delete", replaced: "replace", imported: "import" }[verb] ?? verb;
        counts[key] = Number(m[1]);
    }
    return counts;
}

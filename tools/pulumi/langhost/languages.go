package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const tool = "pulumi"

// nodejsLanguage runs `node <@pulumi/pulumi>/cmd/run <flags> <program>`, the runner the Node.js
// SDK ships; it reads the same flags and PULUMI_NODEJS_* variables as under Pulumi's own host.
type nodejsLanguage struct{}

func (nodejsLanguage) command(ctx context.Context, h *host, req *pulumirpc.RunRequest) (*exec.Cmd, func(), error) {
	program := programPath(req)
	runner, ok := findUp(program, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "run"))
	if !ok {
		return nil, nil, fmt.Errorf("@pulumi/pulumi is not installed for %s: run npm install (or npm ci) there first", program)
	}
	args := []string{}
	if nodeargs := stringOption(req, "nodeargs"); nodeargs != "" {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runner,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engineAddr,
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+req.GetPwd(),
		"--root-directory="+rootDirectory(req),
		"--parallel="+strconv.Itoa(int(req.GetParallel())),
	)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)
	cmd := exec.CommandContext(ctx, "node", args...)
	typescript := true
	if v, ok := option(req, "typescript"); ok {
		if b, isBool := v.(bool); isBool {
			typescript = b
		}
	}
	cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript))
	if tsconfig := stringOption(req, "tsconfig"); tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	return cmd, func() {}, nil
}

func (nodejsLanguage) generatePackage(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error) {
	return nodejs.GeneratePackage(tool, pkg, req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(), loader)
}

func (nodejsLanguage) generateProgram(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error) {
	return nodejs.GenerateProgram(program)
}

// pythonLanguage runs the Python SDK's pulumi-language-python-exec script (copied beside this
// host from the SDK's Go module when it is built) with the interpreter of the project's
// virtualenv option, or python3.
type pythonLanguage struct{}

func (pythonLanguage) command(ctx context.Context, h *host, req *pulumirpc.RunRequest) (*exec.Cmd, func(), error) {
	execScript := filepath.Join(h.self, "pulumi-language-python-exec")
	if _, err := os.Stat(execScript); err != nil {
		return nil, nil, fmt.Errorf("%s is missing: run node scripts/pulumi-cli.cjs again", execScript)
	}
	python := "python3"
	if venv := stringOption(req, "virtualenv"); venv != "" {
		if !filepath.IsAbs(venv) {
			venv = filepath.Join(rootDirectory(req), venv)
		}
		python = filepath.Join(venv, "bin", "python")
	}
	args := []string{"-u", execScript,
		"--monitor=" + req.GetMonitorAddress(),
		"--engine=" + h.engineAddr,
		"--project=" + req.GetProject(),
		"--stack=" + req.GetStack(),
		"--pwd=" + req.GetPwd(),
		"--root_directory=" + rootDirectory(req),
		"--parallel=" + strconv.Itoa(int(req.GetParallel())),
		"--dry_run=" + strconv.FormatBool(req.GetDryRun()),
	}
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	args = append(args, programPath(req))
	args = append(args, req.GetArgs()...)
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Env = append(cmd.Env, "PYTHONUNBUFFERED=1")
	return cmd, func() {}, nil
}

func (pythonLanguage) generatePackage(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error) {
	return python.GeneratePackage(tool, pkg, req.GetExtraFiles(), loader)
}

func (pythonLanguage) generateProgram(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error) {
	return python.GenerateProgram(program)
}

// goLanguage builds the program with `go build` (or runs the prebuilt binary the project's
// `binary` option names) and hands it the engine through the PULUMI_* variables the Go SDK reads.
type goLanguage struct{}

func (goLanguage) command(ctx context.Context, h *host, req *pulumirpc.RunRequest) (*exec.Cmd, func(), error) {
	program := programPath(req)
	binary := stringOption(req, "binary")
	cleanup := func() {}
	if binary == "" {
		out, err := os.MkdirTemp("", "pulumi-go-program-")
		if err != nil {
			return nil, nil, err
		}
		cleanup = func() { _ = os.RemoveAll(out) }
		binary = filepath.Join(out, "program")
		build := exec.CommandContext(ctx, "go", "build", "-o", binary, ".")
		build.Dir = program
		build.Stdout = os.Stderr
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("go build of %s failed: %w", program, err)
		}
	} else if !filepath.IsAbs(binary) {
		binary = filepath.Join(rootDirectory(req), binary)
	}
	cmd := exec.CommandContext(ctx, binary, req.GetArgs()...)
	cmd.Env = append(cmd.Env,
		"PULUMI_MONITOR="+req.GetMonitorAddress(),
		"PULUMI_ENGINE="+h.engineAddr,
		"PULUMI_PROJECT="+req.GetProject(),
		"PULUMI_STACK="+req.GetStack(),
		"PULUMI_ORGANIZATION="+req.GetOrganization(),
		"PULUMI_ROOT_DIRECTORY="+rootDirectory(req),
		"PULUMI_PARALLEL="+strconv.Itoa(int(req.GetParallel())),
		"PULUMI_DRY_RUN="+strconv.FormatBool(req.GetDryRun()),
	)
	return cmd, cleanup, nil
}

func (goLanguage) generatePackage(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, _ schema.ReferenceLoader) (map[string][]byte, error) {
	return gogen.GeneratePackage(tool, pkg, req.GetLocalDependencies())
}

func (goLanguage) generateProgram(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error) {
	return gogen.GenerateProgram(program)
}

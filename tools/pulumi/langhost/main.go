// Command langhost is a small Pulumi language host for Node.js, Python and Go programs, built by
// scripts/pulumi-cli.cjs as pulumi-language-nodejs, pulumi-language-python and pulumi-language-go.
//
// Why it exists: Pulumi's own language hosts for these three languages are nested Go modules of
// the pulumi repository that the Go module proxy reachable here does not serve, while the CLI
// (github.com/pulumi/pulumi/pkg/v3) and everything the hosts are made of are served. This host
// does what the engine asks of a language host, with Pulumi's own parts:
//   - Run starts the language SDK's own runner: `@pulumi/pulumi/cmd/run` for Node.js, the
//     `pulumi-language-python-exec` script of the Python SDK, a `go build` of the program for Go;
//   - GeneratePackage and GenerateProgram (`pulumi package gen-sdk`, `pulumi import`) call the
//     code generators of github.com/pulumi/pulumi/pkg/v3/codegen.
//
// It resolves no dependencies (InstallDependencies does nothing): the project installs its own.
// A pulumi CLI installed the usual way brings Pulumi's own hosts and never uses this one.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hashicorp/hcl/v2"
	hclsyntax "github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is reported to the engine; it names this host, not a Pulumi release.
const version = "0.1.0"

// exitAfterUserMessage is the exit code every Pulumi SDK uses when the program failed and the
// error was already shown to the user: the engine then stops without printing it again.
const exitAfterUserMessage = 32

// language is what differs between the three hosts this binary serves.
type language interface {
	// command returns the process that runs the program, and what to remove after it ran.
	command(ctx context.Context, h *host, req *pulumirpc.RunRequest) (*exec.Cmd, func(), error)
	generatePackage(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (map[string][]byte, error)
	generateProgram(program *pcl.Program) (map[string][]byte, hcl.Diagnostics, error)
}

var languages = map[string]language{
	"nodejs": nodejsLanguage{},
	"python": pythonLanguage{},
	"go":     goLanguage{},
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	name       string
	lang       language
	engineAddr string
	// self is the folder of this executable: helper files built beside it live there.
	self string
}

func main() {
	name := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-language-")
	lang, ok := languages[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "langhost: started as %q; expected pulumi-language-{nodejs,python,go}\n", os.Args[0])
		os.Exit(2)
	}
	// The engine passes its address as the last argument, after flags this host does not need.
	var engineAddr string
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddr = a
		}
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "langhost: %v\n", err)
		os.Exit(1)
	}
	h := &host{name: name, lang: lang, engineAddr: engineAddr, self: filepath.Dir(exe)}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "langhost: could not serve: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of standard output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "langhost: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.EngineAddress != "" {
		h.engineAddr = req.EngineAddress
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins and GetRequiredPackages answer nothing: the engine then loads each provider
// when the program first uses it (from PATH or its plugin cache), which is all the project needs.
func (h *host) GetRequiredPlugins(ctx context.Context, _ *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(ctx context.Context, _ *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) InstallDependencies(_ *pulumirpc.InstallDependenciesRequest, _ grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	return nil
}

func (h *host) GetProgramDependencies(ctx context.Context, _ *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return &pulumirpc.AboutResponse{Executable: os.Args[0], Version: version}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	cmd, cleanup, err := h.lang.command(ctx, h, req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	defer cleanup()
	// The language's own variables come last, so that they win over the inherited environment.
	cmd.Env = append(programEnv(req), cmd.Env...)
	cmd.Dir = req.GetPwd()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.ExitStatus() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("the %s program exited with %v", h.name, exit.ProcessState)}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the %s program: %v", h.name, err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// programEnv is the configuration every SDK reads from its environment.
func programEnv(req *pulumirpc.RunRequest) []string {
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{} // the SDKs expect an object, never null
	}
	config, _ := json.Marshal(configMap)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, _ := json.Marshal(secretKeys)
	return append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets))
}

// programPath is the program's folder joined with its entry point (what Pulumi.yaml's main names).
func programPath(req *pulumirpc.RunRequest) string {
	info := req.GetInfo()
	if info == nil {
		return req.GetProgram()
	}
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	return filepath.Join(info.GetProgramDirectory(), entry)
}

func rootDirectory(req *pulumirpc.RunRequest) string {
	if info := req.GetInfo(); info != nil && info.GetRootDirectory() != "" {
		return info.GetRootDirectory()
	}
	return req.GetPwd()
}

// option reads one of Pulumi.yaml's runtime options.
func option(req *pulumirpc.RunRequest, name string) (any, bool) {
	info := req.GetInfo()
	if info == nil || info.GetOptions() == nil {
		return nil, false
	}
	v, ok := info.GetOptions().AsMap()[name]
	return v, ok
}

func stringOption(req *pulumirpc.RunRequest, name string) string {
	v, _ := option(req, name)
	s, _ := v.(string)
	return s
}

func (h *host) GeneratePackage(ctx context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("the schema is not valid JSON: %w", err)
	}
	cached := schema.NewCachedLoader(loader)
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, err := h.lang.generatePackage(pkg, req, cached)
	if err != nil {
		return nil, err
	}
	if err := writeFiles(req.GetDirectory(), files); err != nil {
		return nil, err
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

func (h *host) GenerateProgram(ctx context.Context, req *pulumirpc.GenerateProgramRequest) (*pulumirpc.GenerateProgramResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	parser := hclsyntax.NewParser()
	for path, contents := range req.GetSource() {
		if err := parser.ParseFile(strings.NewReader(contents), path); err != nil {
			return nil, err
		}
		if parser.Diagnostics.HasErrors() {
			return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(parser.Diagnostics)}, nil
		}
	}
	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.GetStrict() {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() || program == nil {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, genDiags, err := h.lang.generateProgram(program)
	if err != nil {
		return nil, err
	}
	diags = append(diags, genDiags...)
	return &pulumirpc.GenerateProgramResponse{Source: files, Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

func writeFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// findUp looks for rel in dir and each folder above it.
func findUp(dir, rel string) (string, bool) {
	for {
		candidate := filepath.Join(dir, rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

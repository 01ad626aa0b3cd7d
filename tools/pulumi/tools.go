//go:build tools

// The Pulumi CLI that scripts/pulumi-cli.cjs builds, pinned by this module's go.mod and go.sum
// (the language host in langhost/ is built against the same pins; the YAML host has its own
// module in yaml/).
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"

//go:build tools

// The YAML language host, in a module of its own: pulumi-yaml v1.25.0 builds against the
// pulumi/pkg it pins (v3.206.0), not against the newer CLI of the parent module.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"

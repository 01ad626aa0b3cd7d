// A ModelArts DevServer whose power state is declared in stack config:
// `pulumi config set powerState STOPPED && pulumi up` stops it in place.
package main

import (
	"github.com/pulumi-modelarts/pulumi-modelarts/sdk/go/modelarts"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		orDefault := func(key, fallback string) string {
			if v := cfg.Get(key); v != "" {
				return v
			}
			return fallback
		}
		server, err := modelarts.NewDevServer(ctx, "gpu-box", &modelarts.DevServerArgs{
			Name:            pulumi.String(orDefault("serverName", "go-quickstart")),
			ResourceFlavor:  pulumi.String(orDefault("flavor", "Si2.large.4")),
			ImageId:         pulumi.String(orDefault("imageId", "c90fb553-2cdb-4b81-b56a-ef68812c6cf7")),
			VpcId:           pulumi.String(orDefault("vpcId", "05982b48-a70f-43a1-a2b0-1fe36a236172")),
			SubnetId:        pulumi.String(orDefault("subnetId", "38cf274a-98f9-4f6f-b622-5ed0e4a3db54")),
			SecurityGroupId: pulumi.String(orDefault("securityGroupId", "150a2c76-1334-45f6-b28f-419f9b1d1742")),
			KeyPairName:     pulumi.String(orDefault("keyPairName", "quickstart-key")),
			PowerState:      pulumi.String(orDefault("powerState", "RUNNING")),
		})
		if err != nil {
			return err
		}
		ctx.Export("serverId", server.ID())
		ctx.Export("status", server.Status)
		return nil
	})
}

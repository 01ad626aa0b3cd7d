// A Notebook from Go (a test program of tests/e2e/notebook.cli.test.ts): its flavor is the smallest
// billed CPU flavor with at least `minVcpus` vCPUs that getNotebookFlavors lists; it mounts one
// OBS path and stops itself after an hour (its own autoStop, no NotebookAutoStop).
package main

import (
	"fmt"

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
		minVcpus := 8.0
		if v, err := cfg.TryFloat64("minVcpus"); err == nil {
			minVcpus = v
		}

		cpu := "CPU"
		listed, err := modelarts.GetNotebookFlavors(ctx, &modelarts.GetNotebookFlavorsArgs{Category: &cpu})
		if err != nil {
			return err
		}
		flavor := ""
		smallest := 0.0
		for _, f := range listed.Flavors {
			if f.Free != nil && *f.Free || f.Vcpus == nil || *f.Vcpus < minVcpus {
				continue
			}
			if flavor == "" || *f.Vcpus < smallest {
				flavor, smallest = f.Id, *f.Vcpus
			}
		}
		if flavor == "" {
			return fmt.Errorf("no billed CPU notebook flavor with at least %v vCPUs is listed", minVcpus)
		}

		nb, err := modelarts.NewNotebook(ctx, "team-notebook", &modelarts.NotebookArgs{
			Name:    pulumi.String(orDefault("notebookName", "e2e-notebook-go")),
			Flavor:  pulumi.String(flavor),
			ImageId: pulumi.String(orDefault("imageId", "e1a07296-22a8-4f05-8bc8-e936c8e54090")),
			Volume:  &modelarts.NotebookVolumeArgs{Category: pulumi.String("EVS"), Capacity: pulumi.Int(10)},
			Storages: modelarts.NotebookStoragesItemArray{
				&modelarts.NotebookStoragesItemArgs{
					Category:  pulumi.String("OBS"),
					Uri:       pulumi.String(orDefault("datasetsUri", "obs://team-bucket/datasets/")),
					MountPath: pulumi.String("/data/datasets/"),
				},
			},
			AutoStop:   &modelarts.NotebookAutoStopSettingsArgs{Enabled: pulumi.Bool(true), Duration: pulumi.Int(3600)},
			PowerState: pulumi.String(orDefault("powerState", "RUNNING")),
		})
		if err != nil {
			return err
		}
		ctx.Export("notebookId", nb.ID())
		ctx.Export("flavor", nb.Flavor)
		ctx.Export("status", nb.Status)
		ctx.Export("mountedStorages", nb.MountedStorages)
		return nil
	})
}

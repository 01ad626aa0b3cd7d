"""A Notebook whose power state is declared in stack config (a test program of
tests/e2e/notebook.cli.test.ts)."""
import pulumi
import pulumi_modelarts as modelarts

config = pulumi.Config()

nb = modelarts.Notebook(
    "team-notebook",
    name=config.get("notebookName") or "e2e-notebook-python",
    flavor="modelarts.vm.cpu.2u",
    image_id=config.get("imageId") or "e1a07296-22a8-4f05-8bc8-e936c8e54090",
    volume=modelarts.NotebookVolumeArgs(category="EVS", capacity=10),
    auto_stop=modelarts.NotebookAutoStopSettingsArgs(enabled=False),
    power_state=config.get("powerState") or "RUNNING",
)

pulumi.export("notebookId", nb.id)
pulumi.export("status", nb.status)
pulumi.export("lease", nb.lease)

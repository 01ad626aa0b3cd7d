"""A ModelArts DevServer whose power state is declared in stack config:
`pulumi config set powerState STOPPED && pulumi up` stops it in place."""
import pulumi
import pulumi_modelarts as modelarts

config = pulumi.Config()

server = modelarts.DevServer(
    "gpu-box",
    name=config.get("serverName") or "python-quickstart",
    resource_flavor=config.get("flavor") or "Si2.large.4",
    image_id=config.get("imageId") or "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpc_id=config.get("vpcId") or "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnet_id=config.get("subnetId") or "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    security_group_id=config.get("securityGroupId") or "150a2c76-1334-45f6-b28f-419f9b1d1742",
    key_pair_name=config.get("keyPairName") or "quickstart-key",
    power_state=config.get("powerState") or "RUNNING",
)

pulumi.export("serverId", server.id)
pulumi.export("status", server.status)

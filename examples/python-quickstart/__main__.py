"""A ModelArts DevServer whose power state is declared in stack config:
`pulumi config set powerState STOPPED && pulumi up` stops it in place."""
import re

import pulumi
import pulumi_modelarts as modelarts

config = pulumi.Config()

# The image by name and the smallest GPU flavor of its architecture, through the plugin's
# functions: no id is written here (config flavor / imageId skip the lookup).
image = modelarts.get_dev_server_images(server_type="ECS", name=config.get("imageName") or "Ubuntu-22.04-x86-CUDA-12.2").images[0]
gpu_flavors = modelarts.get_dev_server_flavors(server_type="ECS", arch=image.arch, flavor_type="GPU").flavors
# Fewest cards first, as the flavor's specification states them ("1*NVIDIA T4 (16 GiB) | 8 vCPUs | 32 GiB").
smallest = min(gpu_flavors, key=lambda f: int((re.match(r"(\d+)\*", f.specification or "") or re.match(r"(9+)", "999")).group(1)))

server = modelarts.DevServer(
    "gpu-box",
    name=config.get("serverName") or "python-quickstart",
    resource_flavor=config.get("flavor") or smallest.flavor,
    image_id=config.get("imageId") or image.id,
    vpc_id=config.get("vpcId") or "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnet_id=config.get("subnetId") or "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    security_group_id=config.get("securityGroupId") or "150a2c76-1334-45f6-b28f-419f9b1d1742",
    key_pair_name=config.get("keyPairName") or "quickstart-key",
    power_state=config.get("powerState") or "RUNNING",
)

pulumi.export("serverId", server.id)
pulumi.export("status", server.status)
pulumi.export("flavor", server.resource_flavor)

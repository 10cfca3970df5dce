"""The Python app of docs/other-languages.md, run the way a Python team runs a CDK app.

The app is that page's only ```python block, written to ``app.py`` in a
throwaway project with a Python function's code beside it. ``aws_cdk``,
``constructs``, ``cdk_nag`` and the ``cdk_dr_platform`` wheel that
jsii-pacmak built are installed in the virtual environment running this test
(``scripts/test-bindings.sh`` sets it up). The app is synthesized by the
project's pinned ``cdk`` CLI with strict CloudFormation schema validation,
and its template is checked with ``aws_cdk.assertions``.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Match, Template

import cdk_dr_platform
from cdk_dr_platform import SingleRegionDrPlatform

ROOT = Path(__file__).resolve().parents[3]
CDK_CLI = ROOT / "node_modules" / "aws-cdk" / "bin" / "cdk"
STACK = "Payments"


def docs_python_snippet() -> str:
    page = (ROOT / "docs" / "other-languages.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    assert len(blocks) == 1, f"expected one ```python block in docs/other-languages.md, found {len(blocks)}"
    return blocks[0]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("python-app")
    (directory / "app.py").write_text(docs_python_snippet(), encoding="utf-8")
    # The function code the snippet points at, as a Python team would keep it beside app.py.
    (directory / "processor").mkdir()
    (directory / "processor" / "index.js").write_text("exports.handler = async () => ({});\n", encoding="utf-8")
    # The Availability Zones the CLI would look up in the account, as a team's
    # committed cdk.context.json records them: synth needs no AWS credentials.
    (directory / "cdk.context.json").write_text(json.dumps({
        "availability-zones:account=123456789012:region=eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    }), encoding="utf-8")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def template(project: Path) -> dict:
    subprocess.run(
        [
            "node", str(CDK_CLI), "synth",
            "--app", f"{sys.executable} app.py",
            "--output", "cdk.out",
            "--quiet",
            "--context", "@aws-cdk/core:validateAgainstDefaultRules=true",
            "--context", "@aws-cdk/core:strictCfnValidateErrors=true",
        ],
        cwd=project,
        env={**os.environ, "CDK_DISABLE_VERSION_CHECK": "1"},
        check=True,
    )
    return json.loads((project / "cdk.out" / f"{STACK}.template.json").read_text(encoding="utf-8"))


def logical_id(template: dict, resource_type: str) -> str:
    ids = [k for k, r in template["Resources"].items() if r["Type"] == resource_type]
    assert len(ids) == 1, f"expected one {resource_type}, found {ids}"
    return ids[0]


def test_the_wheel_is_the_one_jsii_pacmak_built_not_a_source_tree():
    assert "site-packages" in Path(cdk_dr_platform.__file__).parts


def test_the_app_synthesizes_the_platform_with_one_of_each_store(template: dict):
    assertions = Template.from_json(template)
    for resource_type, count in [
        ("AWS::EC2::VPC", 1),
        ("AWS::EC2::NatGateway", 0),
        ("AWS::RDS::DBCluster", 1),
        ("AWS::DynamoDB::Table", 1),
        ("AWS::Backup::BackupVault", 1),
        ("AWS::Backup::BackupPlan", 1),
        ("AWS::Backup::BackupSelection", 1),
        ("AWS::SNS::Topic", 1),
    ]:
        assertions.resource_count_is(resource_type, count)
    assertions.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "oncall@example.com"})


def test_the_stores_are_retained_and_protected_from_deletion(template: dict):
    assertions = Template.from_json(template)
    assertions.has_resource("AWS::RDS::DBCluster", {
        "DeletionPolicy": "Snapshot",
        "Properties": {"DeletionProtection": True, "StorageEncrypted": True, "DBClusterIdentifier": "dr-aurora-prod"},
    })
    assertions.has_resource("AWS::DynamoDB::Table", {
        "DeletionPolicy": "Retain",
        "Properties": {
            "TableName": "dr-table-prod",
            "DeletionProtectionEnabled": True,
            "PointInTimeRecoverySpecification": Match.object_like({"PointInTimeRecoveryEnabled": True}),
        },
    })
    assertions.has_resource("AWS::S3::Bucket", {
        "DeletionPolicy": "Retain",
        "Properties": Match.object_like({
            "BucketName": "dr-data-123456789012-eu-west-1-prod",
            "VersioningConfiguration": {"Status": "Enabled"},
        }),
    })


def test_one_hourly_backup_plan_selects_the_database_table_and_bucket_by_arn(template: dict):
    selection = template["Resources"][logical_id(template, "AWS::Backup::BackupSelection")]["Properties"]["BackupSelection"]
    bucket = next(
        k for k, r in template["Resources"].items()
        if r["Type"] == "AWS::S3::Bucket" and r["Properties"].get("BucketName") == "dr-data-123456789012-eu-west-1-prod"
    )
    cluster = logical_id(template, "AWS::RDS::DBCluster")
    table = logical_id(template, "AWS::DynamoDB::Table")
    selected = json.dumps(selection["Resources"])
    assert len(selection["Resources"]) == 3
    for resource in (cluster, table, bucket):
        assert f'"{resource}"' in selected, f"{resource} is not in the backup selection {selected}"
    rules = template["Resources"][logical_id(template, "AWS::Backup::BackupPlan")]["Properties"]["BackupPlan"]["BackupPlanRule"]
    assert "cron(0 * * * ? *)" in [r.get("ScheduleExpression") for r in rules]


def newest_nodejs_runtime() -> str:
    """The newest Node.js runtime the installed aws-cdk-lib declares (what cdk-nag's AwsSolutions-L1 asks for)."""
    from aws_cdk import aws_lambda

    names = [getattr(aws_lambda.Runtime, n).name for n in dir(aws_lambda.Runtime) if re.fullmatch(r"NODEJS_\d+_X", n)]
    return max(names, key=lambda name: int(re.search(r"\d+", name).group()))


def test_the_library_functions_run_on_the_newest_nodejs_runtime(template: dict):
    runtimes = {
        r["Properties"]["Runtime"] for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function" and r["Properties"].get("Runtime", "").startswith("nodejs")
    }
    assert runtimes == {newest_nodejs_runtime()}


def test_the_added_function_runs_in_the_vpc_with_write_access_to_the_bucket(template: dict):
    functions = [
        r["Properties"] for r in template["Resources"].values()
        # The added function, by the name the platform gives it (the platform's
        # own handlers, such as the drill's smoke query, also run in the VPC).
        if r["Type"] == "AWS::Lambda::Function" and r["Properties"].get("FunctionName") == "dr-processor-prod"
    ]
    assert len(functions) == 1
    function = functions[0]
    assert function["Runtime"] == newest_nodejs_runtime()
    assert function["VpcConfig"]["SubnetIds"]
    assert function["Environment"]["Variables"]["BUCKET_NAME"]


NAG = """
import json, runpy
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks
stack = runpy.run_path("app.py")["stack"]
packs = [AwsSolutionsChecks(), NIST80053R5Checks(), HIPAASecurityChecks(), PCIDSS321Checks()]
print(json.dumps([f"{v.rule_name}: {v.description}" for p in packs for v in p.validate_scope(stack).violations]))
"""


def test_cdk_nag_finds_nothing_unacknowledged(project: Path, tmp_path: Path):
    # Its own interpreter, so the jsii kernel resolves the app's assets from the project folder.
    result = subprocess.run(
        [sys.executable, "-c", NAG], cwd=project, env={**os.environ, "CDK_OUTDIR": str(tmp_path)},
        check=True, capture_output=True, text=True,
    )
    findings = json.loads(result.stdout.strip().splitlines()[-1])
    assert findings == []


@pytest.mark.parametrize("suffix", ["Prod_1", "prod-", "pr--od", "1prod", "", "a" * 64])
def test_an_invalid_environment_suffix_raises_a_python_error_naming_the_prop(suffix: str):
    with pytest.raises(RuntimeError, match=r"`environmentSuffix` must .*got: \"" + re.escape(suffix) + '"'):
        SingleRegionDrPlatform(Stack(App(), "Invalid"), "Platform", environment_suffix=suffix)

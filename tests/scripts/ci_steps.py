#!/usr/bin/env python3
"""Runs the steps of action.yml or .azure-pipelines/appdiag.yml the way the
runner would, after checking the file's structure (used by ci_step_test.sh).

    ci_steps.py github ACTION_YML NAME=VALUE...     inputs
    ci_steps.py azure TEMPLATE_YML NAME=VALUE...    parameters

Each `run:`/`bash:` script runs in bash with the step's env, its `${{ inputs.X }}`
or `${{ parameters.X }}` expressions and Azure `$(Var)` macros replaced as the
runner replaces them; GITHUB_PATH additions and `##vso[task.prependpath]` lines
reach the later steps. Stops at the first failing step and exits with its code
(a structure error exits 3). The environment (GITHUB_*, RUNNER_TEMP, TF_BUILD,
AGENT_TEMPDIRECTORY, ...) is the caller's.
"""
import os
import re
import subprocess
import sys

import yaml

EXPR = re.compile(r"\$\{\{\s*(inputs|parameters|steps|github)\.([A-Za-z0-9_.-]+)\s*\}\}")


def fail(msg):
    print(f"ci_steps: {msg}", file=sys.stderr)
    sys.exit(3)


def check_github(action):
    for key in ("name", "description", "runs"):
        if key not in action:
            fail(f"action.yml: missing {key}")
    runs = action["runs"]
    if runs.get("using") != "composite":
        fail("action.yml: runs.using is not composite")
    inputs = action.get("inputs") or {}
    for name, spec in inputs.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name) or "description" not in spec:
            fail(f"action.yml: input {name}: bad id or no description")
    ids = set()
    for i, step in enumerate(runs["steps"]):
        if "run" in step and "shell" not in step:
            fail(f"action.yml: step {i}: run without shell (required in composite actions)")
        if ("run" in step) == ("uses" in step):
            fail(f"action.yml: step {i}: needs exactly one of run, uses")
        ids.add(step.get("id"))
        for kind, name in EXPR.findall(yaml.safe_dump(step)):
            if kind == "inputs" and name not in inputs:
                fail(f"action.yml: step {i} uses undeclared input {name}")
    for name, spec in (action.get("outputs") or {}).items():
        for kind, ref in EXPR.findall(str(spec.get("value", ""))):
            if kind != "steps" or ref.split(".")[0] not in ids:
                fail(f"action.yml: output {name} refers to {kind}.{ref}, not a step's output")
    return inputs


def check_azure(template):
    params = {}
    for p in template.get("parameters") or []:
        if "name" not in p or "type" not in p:
            fail(f"template: parameter without name or type: {p}")
        if "values" in p and "default" in p and p["default"] not in p["values"]:
            fail(f"template: parameter {p['name']}: default not among its values")
        params[p["name"]] = p
    for i, step in enumerate(template.get("steps") or []):
        if not any(k in step for k in ("bash", "script", "task", "checkout", "template")):
            fail(f"template: step {i} has no bash, script, task, checkout or template")
        for kind, name in EXPR.findall(yaml.safe_dump(step)):
            if kind == "parameters" and name not in params:
                fail(f"template: step {i} uses undeclared parameter {name}")
    return params


AZURE_MACROS = {  # $(Var) -> the environment variable the agent sets
    "Build.SourcesDirectory": "BUILD_SOURCESDIRECTORY",
    "Build.ArtifactStagingDirectory": "BUILD_ARTIFACTSTAGINGDIRECTORY",
    "Agent.TempDirectory": "AGENT_TEMPDIRECTORY",
}


def main():
    kind, path, *args = sys.argv[1:]
    doc = yaml.safe_load(open(path))
    given = dict(a.split("=", 1) for a in args)
    if kind == "github":
        declared = check_github(doc)
        steps = doc["runs"]["steps"]
        script_key = "run"
    else:
        declared = check_azure(doc)
        steps = doc["steps"]
        script_key = "bash"
    values = {}
    for name, spec in declared.items():
        if name in given:
            values[name] = given.pop(name)
            if "values" in spec and values[name] not in spec["values"]:
                fail(f"{name}: {values[name]} is not one of {spec['values']}")
        elif "default" in spec:
            values[name] = str(spec["default"])
        elif spec.get("required", kind == "azure"):
            fail(f"{name} is required")
        else:
            values[name] = ""
    if given:
        fail(f"not declared: {', '.join(given)}")

    def expand(text):
        text = EXPR.sub(lambda m: values[m.group(2)] if m.group(1) in ("inputs", "parameters") else m.group(0), text)
        if kind == "azure":
            text = re.sub(r"\$\(([A-Za-z.]+)\)", lambda m: os.environ.get(AZURE_MACROS.get(m.group(1), "-"), m.group(0)), text)
        return text

    env = dict(os.environ)
    if kind == "github":
        env["GITHUB_ACTION_PATH"] = os.path.dirname(os.path.abspath(path))
    for step in steps:
        step_env = dict(env)
        step_env.update({k: expand(str(v)) for k, v in (step.get("env") or {}).items()})
        # GitHub runs `bash --noprofile --norc -eo pipefail {0}`; Azure runs bash on the script file.
        bash = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"] if kind == "github" else ["bash", "-c"]
        proc = subprocess.run(bash + [expand(step[script_key])], env=step_env, stdout=subprocess.PIPE, text=True)
        sys.stdout.write(proc.stdout)
        sys.stdout.flush()
        for line in proc.stdout.splitlines():
            if line.startswith("##vso[task.prependpath]"):
                env["PATH"] = line.split("]", 1)[1] + ":" + env["PATH"]
        if kind == "github" and env.get("GITHUB_PATH") and os.path.exists(env["GITHUB_PATH"]):
            added = [p for p in open(env["GITHUB_PATH"]).read().splitlines() if p]
            env["PATH"] = ":".join(reversed(added)) + ":" + os.environ["PATH"]
        if proc.returncode != 0:
            sys.exit(proc.returncode)


if __name__ == "__main__":
    main()

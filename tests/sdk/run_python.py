"""Runs a generated Python snippet with a real Golem SDK and prints, as JSON,
what a provider would receive.

usage: python run_python.py yapapi|golem-core|dapp-runner < snippet
"""
import asyncio
import json
import sys
import textwrap


def in_async_def(snippet: str, result: str):
    # The snippet must run as-is inside an `async def`: so run it there.
    src = "async def main():\n" + textwrap.indent(snippet, "    ") + f"\n    return {result}\n"
    scope = {}
    exec(compile(src, "<snippet>", "exec"), scope)
    return asyncio.run(scope["main"]())


async def yapapi_report(package):
    return {
        "task_package": await package.resolve_url(),
        "constraints": str(package.constraints),
    }


def yapapi(snippet):
    return asyncio.run(yapapi_report(in_async_def(snippet, "package")))


def golem_core(snippet):
    payload = in_async_def(snippet, "payload")
    props, cons = asyncio.run(payload.build_properties_and_constraints())
    return {"task_package": props["golem.srv.comp.task_package"], "constraints": str(cons)}


def dapp_runner(snippet):
    import yaml
    from yapapi.payload import vm

    # dapp-runner hands `params` to yapapi's vm.repo unchanged.
    params = yaml.safe_load(snippet)["payloads"]["image"]["params"]
    package = asyncio.run(vm.repo(**params))
    report = asyncio.run(yapapi_report(package))
    report["params"] = params
    return report


if __name__ == "__main__":
    kind = sys.argv[1]
    run = {"yapapi": yapapi, "golem-core": golem_core, "dapp-runner": dapp_runner}[kind]
    print(json.dumps(run(sys.stdin.read())))

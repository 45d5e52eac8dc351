#!/usr/bin/env python3
# {{about}}
# A whole program for yapapi 0.13: pip install yapapi; python3 this_file.py
# Without yagna it prints the task package providers will receive and stops;
# with yagna running and YAGNA_APPKEY set it runs one command in the image.
import asyncio
import os
from datetime import timedelta

from yapapi import Golem, Task, WorkContext
from yapapi.payload import vm


async def worker(context: WorkContext, tasks):
    async for task in tasks:
        script = context.new_script()
        # What to run inside the image: change this.
        result = script.run("/bin/sh", "-c", "uname -a")
        yield script
        task.accept_result(result=await result)


async def main():
    package = await vm.repo(
        image_hash={{image_hash}},
        image_url={{image_url}},
        min_mem_gib={{min_mem_gib}},
        min_storage_gib={{min_storage_gib}},
        min_cpu_threads={{min_cpu_threads}},
        capabilities={{capabilities}},
    )
    # Providers download the URL and refuse the image unless its SHA3-224 matches.
    print("task package:", await package.resolve_url())
    if not os.environ.get("YAGNA_APPKEY"):
        print("YAGNA_APPKEY is not set: start yagna and export its app key to run on Golem.")
        return
    # Pays on the testnet unless payment_network says otherwise.
    async with Golem(budget=1.0, subnet_tag="public") as golem:
        tasks = [Task(data=None)]
        timeout = timedelta(minutes=10)
        async for task in golem.execute_tasks(worker, tasks, package, timeout=timeout):
            print(task.result.stdout)


if __name__ == "__main__":
    asyncio.run(main())

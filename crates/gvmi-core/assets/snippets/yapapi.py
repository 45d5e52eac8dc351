# inside an async def (yapapi is asyncio); a whole program: gvmi snippet --full
# {{about}}
from yapapi.payload import vm

package = await vm.repo(
    image_hash={{image_hash}},
    image_url={{image_url}},
    min_mem_gib={{min_mem_gib}},
    min_storage_gib={{min_storage_gib}},
    min_cpu_threads={{min_cpu_threads}},
    capabilities={{capabilities}},
)

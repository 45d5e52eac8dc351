# {{about}}
from golem.payload import RepositoryVmPayload

payload = RepositoryVmPayload(
    image_hash={{image_hash}},
    image_url={{image_url}},
    min_mem_gib={{min_mem_gib}},
    min_storage_gib={{min_storage_gib}},
    min_cpu_threads={{min_cpu_threads}},
    capabilities={{capabilities}},
)

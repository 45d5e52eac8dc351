// {{about}}
// Use with @golem-sdk/golem-js 3.x: const rental = await glm.oneOf({ order });
// gvmi snippet --full --target golem-js prints a whole program.
const order = {
  demand: {
    workload: {
      imageHash: {{image_hash}},
      imageUrl: {{image_url}},
      minMemGib: {{min_mem_gib}},
      minStorageGib: {{min_storage_gib}},
      minCpuThreads: {{min_cpu_threads}},
      capabilities: {{capabilities}},
    },
  },
  market: {
    // Longest time you may keep the provider; the rental can end sooner.
    rentHours: 0.5,
    // Most you will pay, in GLM; providers asking more are skipped.
    pricing: {
      model: "linear",
      maxStartPrice: 0.5, // once, when the activity starts
      maxCpuPerHourPrice: 1.0, // per CPU-hour used
      maxEnvPerHourPrice: 0.5, // per hour the environment runs
    },
  },
};

// {{about}}
// Use with @golem-sdk/task-executor 2.x: const executor = await TaskExecutor.create(executorOptions);
// gvmi snippet --full --target task-executor prints a whole program.
const executorOptions = {
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
    // Longest time you may keep each provider; the rental can end sooner.
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

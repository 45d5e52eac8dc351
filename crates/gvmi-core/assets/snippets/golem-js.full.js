// {{about}}
// A whole program for @golem-sdk/golem-js 3.x (Node.js 18+):
//   npm install @golem-sdk/golem-js && node this-file.js
// Without yagna it prints the task package providers will receive and stops;
// with yagna running and YAGNA_APPKEY set it rents one provider and runs a
// command in the image.
const { GolemNetwork } = require("@golem-sdk/golem-js");

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

async function main() {
  const { imageHash, imageUrl } = order.demand.workload;
  // golem-js sends this for an imageUrl; providers download the URL and
  // refuse the image unless its SHA3-224 matches.
  console.log(`task package: hash:sha3:${imageHash}:${imageUrl}`);
  if (!process.env.YAGNA_APPKEY) {
    console.log("YAGNA_APPKEY is not set: start yagna and export its app key to run on Golem.");
    return;
  }
  const glm = new GolemNetwork();
  try {
    await glm.connect();
    const rental = await glm.oneOf({ order });
    const exe = await rental.getExeUnit();
    // What to run inside the image: change this.
    const result = await exe.run("uname -a");
    console.log(result.stdout);
    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

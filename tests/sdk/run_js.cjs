// Evaluates a generated golem-js / task-executor snippet and feeds its
// demand and market options to golem-js's own demand builder
// (MarketModuleImpl.buildDemandDetails -> WorkloadDemandDirector), printing
// what a provider would receive as JSON.
//
// usage: node run_js.cjs order|executorOptions < snippet   (NODE_PATH=<node_modules>)
const { MarketModuleImpl, nullLogger } = require("@golem-sdk/golem-js");

async function main() {
  const name = process.argv[2];
  const snippet = require("fs").readFileSync(0, "utf8");
  const options = new Function(`${snippet}\nreturn ${name};`)();
  // Only the pieces buildDemandDetails touches; no yagna is needed.
  const marketApi = {
    collectAgreementEvents: () => ({ subscribe() {} }),
    getPaymentRelatedDemandDecorations: async () => ({ properties: [], constraints: [] }),
  };
  const market = new MarketModuleImpl(
    { logger: nullLogger(), marketApi, fileServer: null },
    {},
  );
  const allocation = { id: "test-allocation", paymentPlatform: "erc20-holesky-tglm" };
  const spec = await market.buildDemandDetails(options.demand, options.market, allocation);
  const property = (key) => spec.prototype.properties.find((p) => p.key === key)?.value;
  console.log(
    JSON.stringify({
      task_package: property("golem.srv.comp.task_package"),
      constraints: spec.prototype.constraints,
      workload: options.demand.workload,
      market: options.market,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
